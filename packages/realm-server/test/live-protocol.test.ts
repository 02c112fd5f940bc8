import { afterEach, describe, expect, it } from "vitest";
import { LiveWire } from "./live-client.ts";
import { startTestRealm } from "./test-realm.ts";

type TestRealm = Awaited<ReturnType<typeof startTestRealm>>;
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

describe("the live protocol on the classic port", () => {
  it("is chosen by a first byte of '{'; hello names the realm; replies carry the request id", async () => {
    realm = await startTestRealm();
    const c = await LiveWire.connect(realm.listener.port);
    live.push(c);
    expect(await c.request("hello", { v: 2 })).toEqual({ re: 1, ok: true, server: "realmchat", v: 2, realm: "realm1" });
    c.writeRaw('{"id":"x","op":"launch"}\n{"op":"groups"}\nnot json\n');
    expect(await c.reply("x")).toMatchObject({ ok: false, code: "UNKNOWN_COMMAND" });
    expect(await c.request("groups")).toMatchObject({ ok: false, code: "SESSION_NOT_FOUND" });
    // A classic client on the same port is unaffected.
    const classic = await realm.connect();
    expect(await classic.request("auth messi surabaya\r\n")).toMatchObject({ status: "OK" });
  });

  it("pushes private messages live while online; the inbox keeps them until acknowledged", async () => {
    realm = await startTestRealm();
    const messi = await liveUser("messi");
    const henderson = await liveUser("henderson");
    const sent = await messi.ok("send", { to: "henderson", text: "halo, live!" });
    const pushed = await henderson.event((e) => e.ev === "message");
    expect(pushed).toMatchObject({ ev: "message", msgId: sent.msgId, from: "messi", text: "halo, live!" });
    await messi.ok("send", { to: "henderson", text: "second" });
    // A connection that drops before acknowledging loses nothing.
    henderson.close();
    const again = await liveUser("henderson");
    const inbox = await again.ok("inbox");
    expect((inbox.messages as Array<{ text: string }>).map((m) => m.text)).toEqual(["halo, live!", "second"]);
    expect(await again.ok("ack", { upTo: sent.msgId })).toMatchObject({ removed: 1 });
    expect(((await again.ok("inbox")).messages as Array<{ text: string }>).map((m) => m.text)).toEqual(["second"]);
  });

  it("a classic send reaches a live user at once", async () => {
    realm = await startTestRealm();
    const henderson = await liveUser("henderson");
    const classic = await realm.connect();
    const token = await classic.auth("messi", "surabaya");
    await classic.request(`send ${token} henderson  from the classic side \r\n`);
    expect(await henderson.event((e) => e.ev === "message")).toMatchObject({ from: "messi", text: "from the classic side" });
  });

  it("one connection in several groups; classic and live members see each other; history on join", async () => {
    realm = await startTestRealm();
    const messi = await liveUser("messi");
    await messi.ok("join", { group: "alpha" });
    await messi.ok("join", { group: "beta" });
    await messi.ok("say", { group: "alpha", text: "first in alpha" });
    const classic = await realm.connect();
    const token = await classic.auth("henderson", "surabaya");
    classic.write(`group ${token} alpha origin\r\n`);
    expect(await classic.line()).toBe("henderson joined");
    expect(await messi.event((e) => e.ev === "group" && e.kind === "joined" && e.member === "henderson")).toMatchObject({
      group: "alpha",
      home: "realm1",
    });
    classic.write("halo dari classic");
    expect(await messi.event((e) => e.ev === "group" && e.text === "halo dari classic")).toMatchObject({
      group: "alpha",
      member: "henderson",
      kind: "message",
    });
    await messi.ok("say", { group: "beta", text: "only in beta" });
    await messi.ok("say", { group: "alpha", text: "back in alpha" });
    expect(await classic.line()).toBe("henderson: halo dari classic");
    expect(await classic.line()).toBe("messi: back in alpha");

    const lineker = await liveUser("lineker");
    const joined = await lineker.ok("join", { group: "alpha" });
    expect(
      (joined.history as Array<{ member: string; kind: string; text?: string }>)
        .filter((h) => h.kind === "message")
        .map((h) => `${h.member}: ${h.text}`),
    ).toEqual(["messi: first in alpha", "henderson: halo dari classic", "messi: back in alpha"]);
    expect(joined.members).toEqual(expect.arrayContaining(["messi", "henderson"]));
    const who = await lineker.ok("who", { group: "alpha" });
    expect(who.online).toEqual(expect.arrayContaining(["messi", "henderson", "lineker"]));
    expect(who.members).toEqual(expect.arrayContaining(["messi", "henderson", "lineker"]));
    const groups = await lineker.ok("groups");
    expect((groups.groups as Array<{ name: string; joined: boolean }>).map((g) => `${g.name}:${g.joined}`).sort()).toEqual([
      "alpha:true",
      "beta:false",
    ]);
    await messi.ok("leave", { group: "alpha" });
    expect(await lineker.event((e) => e.ev === "group" && e.kind === "left")).toMatchObject({ member: "messi", group: "alpha" });
    expect(await messi.request("say", { group: "alpha", text: "x" })).toMatchObject({ ok: false, code: "INVALID_ARGUMENT" });
  });

  it("lines said in one write reach the group in order and are each answered; a joiner's history has them all", async () => {
    realm = await startTestRealm();
    const messi = await liveUser("messi");
    const henderson = await liveUser("henderson");
    await messi.ok("join", { group: "alpha" });
    await henderson.ok("join", { group: "alpha" });
    messi.writeRaw(
      Array.from({ length: 20 }, (_, i) => `${JSON.stringify({ id: `g${i}`, op: "say", group: "alpha", text: `line ${i}` })}\n`).join(""),
    );
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => messi.reply(`g${i}`)));
    expect(replies.every((r) => r.ok === true)).toBe(true);
    await henderson.event((e) => e.text === "line 19", "the last line");
    const expected = Array.from({ length: 20 }, (_, i) => `line ${i}`);
    expect(henderson.events.filter((e) => e.ev === "group" && e.kind === "message").map((e) => e.text)).toEqual(expected);
    const lineker = await liveUser("lineker");
    const joined = await lineker.ok("join", { group: "alpha" });
    expect((joined.history as Array<{ kind: string; text?: string }>).filter((h) => h.kind === "message").map((h) => h.text)).toEqual(
      expected,
    );
  });

  it("resume takes up a session on a new connection; logout ends it", async () => {
    realm = await startTestRealm();
    const first = await LiveWire.connect(realm.listener.port);
    live.push(first);
    const { token } = (await first.ok("auth", { user: "messi", password: "surabaya" })) as { token: string };
    first.close();
    const second = await LiveWire.connect(realm.listener.port);
    live.push(second);
    expect(await second.ok("resume", { token })).toMatchObject({ user: "messi", realm: "realm1" });
    await second.ok("logout");
    const third = await LiveWire.connect(realm.listener.port);
    live.push(third);
    expect(await third.request("resume", { token })).toMatchObject({ ok: false, code: "SESSION_NOT_FOUND" });
  });
});

describe("the live protocol under abuse", () => {
  it("a flood of requests is served in order without unbounded buffering; junk gets errors; others are unaffected", async () => {
    realm = await startTestRealm({ limits: { maxPendingRequests: 16 } });
    const flooder = await LiveWire.connect(realm.listener.port);
    live.push(flooder);
    let burst = "";
    for (let i = 1; i <= 2000; i++) burst += JSON.stringify({ id: i, op: "hello", v: 2 }) + "\n";
    burst += "{not json}\n";
    flooder.writeRaw(burst);
    expect(await flooder.reply(2000)).toMatchObject({ ok: true, realm: "realm1" });
    const bystander = await liveUser("messi");
    expect(await bystander.ok("groups")).toMatchObject({ groups: [] });
    const oversized = await LiveWire.connect(realm.listener.port);
    live.push(oversized);
    oversized.writeRaw("{" + "x".repeat(200_000));
    expect(await oversized.reply(null)).toMatchObject({ ok: false, code: "FRAME_TOO_LARGE" });
  });
});
