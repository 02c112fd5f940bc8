import { afterEach, describe, expect, it } from "vitest";
import { startTestRealm } from "./test-realm.ts";

type TestRealm = Awaited<ReturnType<typeof startTestRealm>>;
let realm: TestRealm;

afterEach(async () => {
  await realm?.close();
});

describe("many concurrent clients", () => {
  it("200 clients × 50 messages: every acknowledged message is in an inbox exactly once, in order", async () => {
    const CLIENTS = 200;
    const MESSAGES = 50;
    const users = Array.from({ length: CLIENTS }, (_, i) => `u${i}`);
    realm = await startTestRealm({ extraUsers: users });
    const clients = await Promise.all(users.map(() => realm.connect()));
    const tokens = await Promise.all(clients.map((c, i) => c.auth(users[i] as string, "surabaya")));

    // Every client sends to the next one; requests go out one at a time per client, all clients at once.
    await Promise.all(
      clients.map(async (c, i) => {
        const to = users[(i + 1) % CLIENTS];
        for (let j = 0; j < MESSAGES; j++) {
          const reply = await c.request(`send ${tokens[i]} ${to} m ${i} ${j}\r\n`);
          expect(reply.status).toBe("OK");
        }
      }),
    );

    const seen = new Map<string, number>();
    await Promise.all(
      clients.map(async (c, i) => {
        const inbox = await c.request(`inbox ${tokens[i]}\r\n`);
        const from = users[(i + CLIENTS - 1) % CLIENTS] as string;
        const messages = inbox.messages as Record<string, Array<{ msg: string }>>;
        expect(Object.keys(messages)).toEqual([from]);
        const texts = messages[from]?.map((m) => m.msg) ?? [];
        expect(texts).toEqual(Array.from({ length: MESSAGES }, (_, j) => `m ${(i + CLIENTS - 1) % CLIENTS} ${j}`));
        for (const t of texts) seen.set(t, (seen.get(t) ?? 0) + 1);
      }),
    );
    expect(seen.size).toBe(CLIENTS * MESSAGES);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  }, 60_000);
});
