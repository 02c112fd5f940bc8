import { afterEach, describe, expect, it } from "vitest";
import { LiveWire } from "./live-client.ts";
import { startTestRealm } from "./test-realm.ts";

type TestRealm = Awaited<ReturnType<typeof startTestRealm>>;
type Entry = { kind: string; member: string; text?: string; ts: number; eventId?: string };
let realm: TestRealm;
const live: LiveWire[] = [];

afterEach(async () => {
  for (const c of live.splice(0)) c.close();
  await realm?.close();
});

async function liveUser(user: string): Promise<LiveWire> {
  const c = await LiveWire.connect(realm.listener.port);
  live.push(c);
  await c.ok("auth", { user, password: "surabaya" });
  return c;
}

const texts = (entries: readonly Entry[]): string[] => entries.filter((e) => e.kind === "message").map((e) => e.text ?? "");

describe("older history, read markers and client ids on the live protocol", () => {
  it("pages a group's history back before an event id, 50 shown on join, every event once, to the first", async () => {
    realm = await startTestRealm();
    const messi = await liveUser("messi");
    await messi.ok("join", { group: "batak" });
    for (let i = 0; i < 120; i++) await messi.ok("say", { group: "batak", text: `line ${i}` });
    const henderson = await liveUser("henderson");
    const joined = (await henderson.ok("join", { group: "batak" })) as { history: Entry[] };
    expect(joined.history).toHaveLength(50);
    const pushed = (await henderson.event((e) => e.ev === "group" && e.member === "henderson")) as Entry;
    expect(pushed.eventId).toMatch(/^[0-9a-f-]{36}$/);
    let all = joined.history;
    let pages = 0;
    for (;;) {
      const page = (await henderson.ok("history", { group: "batak", before: all[0]?.eventId, limit: 30 })) as {
        history: Entry[];
        more: boolean;
      };
      pages++;
      all = [...page.history, ...all];
      if (!page.more) break;
    }
    expect(pages).toBe(3);
    expect(all[0]).toMatchObject({ kind: "joined", member: "messi" });
    expect(texts(all)).toEqual(Array.from({ length: 120 }, (_, i) => `line ${i}`));
    expect(new Set(all.map((e) => e.eventId)).size).toBe(all.length);
    // An event id the group does not keep pages nothing; a group not joined is refused.
    expect(await henderson.ok("history", { group: "batak", before: "no-such-event" })).toMatchObject({ history: [], more: false });
    expect(await henderson.request("history", { group: "jazz", before: "x" })).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
  }, 30_000);

  it("keeps read markers per user on the realm: they only move forward, and every connection of the user hears them", async () => {
    realm = await startTestRealm();
    const browser = await liveUser("messi");
    const terminal = await liveUser("messi");
    const other = await liveUser("henderson");
    expect(await browser.ok("markers")).toMatchObject({ markers: [] });
    expect(await browser.ok("read", { conversation: "#batak", ts: 200 })).toMatchObject({ conversation: "#batak", ts: 200 });
    expect(await terminal.event((e) => e.ev === "read")).toMatchObject({ conversation: "#batak", ts: 200 });
    expect(await browser.ok("read", { conversation: "#batak", ts: 100 })).toMatchObject({ ts: 200 });
    await browser.ok("read", { conversation: "@henderson", ts: 50 });
    expect(await terminal.ok("markers")).toMatchObject({
      markers: [
        { conversation: "#batak", ts: 200 },
        { conversation: "@henderson", ts: 50 },
      ],
    });
    expect(await other.ok("markers")).toMatchObject({ markers: [] });
    expect(await browser.request("read", { conversation: "batak", ts: 1 })).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
  });

  it("stores a send or say made again with the same client id once, and answers the repeat as the first", async () => {
    realm = await startTestRealm();
    const messi = await liveUser("messi");
    const first = await messi.ok("send", { to: "henderson", text: "only once", cid: "c-1" });
    // The link dropped before the answer: the client sends it again on a new connection.
    messi.close();
    const again = await liveUser("messi");
    const repeat = await again.ok("send", { to: "henderson", text: "only once", cid: "c-1" });
    expect(repeat.msgId).toBe(first.msgId);
    const henderson = await liveUser("henderson");
    expect(((await henderson.ok("inbox")).messages as Array<{ text: string }>).map((m) => m.text)).toEqual(["only once"]);
    // Another user's client id is their own.
    const other = await henderson.ok("send", { to: "messi", text: "mine", cid: "c-1" });
    expect(other.msgId).not.toBe(first.msgId);

    await again.ok("join", { group: "batak" });
    await henderson.ok("join", { group: "batak" });
    await again.ok("say", { group: "batak", text: "said once", cid: "c-2" });
    await again.ok("say", { group: "batak", text: "said once", cid: "c-2" });
    await again.ok("say", { group: "batak", text: "after", cid: "c-3" });
    await henderson.event((e) => e.ev === "group" && e.text === "after");
    const history = (await henderson.ok("join", { group: "batak" })) as { history: Entry[] };
    expect(texts(history.history)).toEqual(["said once", "after"]);
  });
});
