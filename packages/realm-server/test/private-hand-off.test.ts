import { afterEach, describe, expect, it } from "vitest";
import type { RealmLimits } from "../src/index.ts";
import { LiveWire } from "./live-client.ts";
import { startTestRealm } from "./test-realm.ts";

type TestRealm = Awaited<ReturnType<typeof startTestRealm>>;
let realm: TestRealm | undefined;
const live: LiveWire[] = [];

afterEach(async () => {
  for (const c of live.splice(0)) c.close();
  await realm?.close();
  realm = undefined;
});

async function start(limits: Partial<RealmLimits>): Promise<TestRealm> {
  realm = await startTestRealm({ limits });
  return realm;
}

async function liveUser(r: TestRealm, user: string): Promise<LiveWire> {
  const c = await LiveWire.connect(r.listener.port);
  live.push(c);
  await c.ok("auth", { user, password: "surabaya" });
  return c;
}

const sends = (n: number, to: string, prefix: string): string =>
  Array.from({ length: n }, (_, i) => `${JSON.stringify({ id: `${prefix}${i}`, op: "send", to, text: `${prefix}${i}` })}\n`).join("");

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("hand-off before storage (docs/design/private-hand-off.md)", () => {
  it("a message for a live recipient is answered 'sent' when the client acknowledges it, and is never stored", async () => {
    // A minute to acknowledge: only the client's ack can be what answers the sender here.
    const r = await start({ handOffMs: 60_000 });
    const messi = await liveUser(r, "messi");
    const henderson = await liveUser(r, "henderson");
    messi.writeRaw(sends(20, "henderson", "m"));
    const last = await henderson.event((e) => e.text === "m19", "the twentieth message");
    await pause(100);
    expect(Array.from({ length: 20 }, (_, i) => messi.replied(`m${i}`))).toEqual(Array.from({ length: 20 }, () => undefined));
    expect(await henderson.ok("ack", { upTo: last.msgId })).toMatchObject({ removed: 20 });
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => messi.reply(`m${i}`)));
    expect(replies.map((x) => x.ok)).toEqual(Array.from({ length: 20 }, () => true));
    const texts = henderson.events.filter((e) => e.ev === "message").map((e) => e.text);
    expect(texts).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    const other = await liveUser(r, "henderson");
    expect(await other.ok("inbox")).toMatchObject({ messages: [] });
  });

  it("a recipient that does not acknowledge in time: the message is stored, then its sender hears", async () => {
    const r = await start({ handOffMs: 300 });
    const messi = await liveUser(r, "messi");
    const henderson = await liveUser(r, "henderson");
    const before = Date.now();
    messi.writeRaw(sends(1, "henderson", "slow"));
    await henderson.event((e) => e.text === "slow0");
    expect(await messi.reply("slow0")).toMatchObject({ ok: true });
    expect(Date.now() - before).toBeGreaterThanOrEqual(280);
    const stored = (await henderson.ok("inbox")) as { messages: { msgId: string; text: string }[] };
    expect(stored.messages.map((m) => m.text)).toEqual(["slow0"]);
    // Acknowledged late, it leaves the inbox; once.
    expect(await henderson.ok("ack", { upTo: stored.messages[0]?.msgId })).toMatchObject({ removed: 1 });
    expect(await henderson.ok("inbox")).toMatchObject({ messages: [] });
  });

  it("one ack settles the held messages and the inbox messages handed out before them", async () => {
    const r = await start({ handOffMs: 60_000 });
    const messi = await liveUser(r, "messi");
    await messi.ok("send", { to: "henderson", text: "while away 1" });
    await messi.ok("send", { to: "henderson", text: "while away 2" });
    const henderson = await liveUser(r, "henderson");
    expect(((await henderson.ok("inbox")) as { messages: unknown[] }).messages).toHaveLength(2);
    messi.writeRaw(sends(3, "henderson", "now"));
    const last = await henderson.event((e) => e.text === "now2");
    expect(await henderson.ok("ack", { upTo: last.msgId })).toMatchObject({ removed: 5 });
    await Promise.all(["now0", "now1", "now2"].map((id) => messi.reply(id)));
    expect(await henderson.ok("inbox")).toMatchObject({ messages: [] });
  });

  it("a held message whose client goes away is stored, and shown again with the same id", async () => {
    const r = await start({ handOffMs: 200 });
    const messi = await liveUser(r, "messi");
    const henderson = await liveUser(r, "henderson");
    messi.writeRaw(sends(1, "henderson", "gone"));
    const pushed = await henderson.event((e) => e.text === "gone0");
    henderson.close();
    expect(await messi.reply("gone0")).toMatchObject({ ok: true });
    const again = await liveUser(r, "henderson");
    expect(await again.ok("inbox")).toMatchObject({ messages: [{ msgId: pushed.msgId, text: "gone0" }] });
  });

  it("a client id is the sender's own: the same one from two senders makes two messages", async () => {
    const r = await start({ handOffMs: 60_000 });
    const messi = await liveUser(r, "messi");
    const first = await messi.ok("send", { to: "henderson", text: "once", cid: "c-1" });
    const other = await liveUser(r, "lineker");
    const byAnother = await other.ok("send", { to: "henderson", text: "once", cid: "c-1" });
    expect(byAnother.msgId).not.toBe(first.msgId);
    const henderson = await liveUser(r, "henderson");
    const inbox = (await henderson.ok("inbox")) as { messages: { msgId: string }[] };
    expect(inbox.messages.map((m) => m.msgId)).toEqual([first.msgId, byAnother.msgId]);
  });
});
