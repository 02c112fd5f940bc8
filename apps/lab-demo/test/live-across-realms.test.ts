import { connect } from "node:net";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { LiveEvent } from "@realmchat/protocol";
import { describe, expect, it } from "vitest";
import { eventually, lines, liveFederationPerTest } from "./federation-fixtures.ts";

const federation = liveFederationPerTest();
const live = federation.live;

const seen = (events: LiveEvent[], match: (e: LiveEvent) => boolean, what: string) =>
  eventually(() => {
    const found = events.find(match);
    if (found === undefined) throw new Error(`no ${what} in ${JSON.stringify(events)}`);
    return found;
  });

describe("the live protocol across realms", () => {
  it("private messages are pushed across realms; a live user sits in a remote and a local group with classic members", async () => {
    const t = await federation.start();
    const messi = await live("realm1", "messi", "surabaya");
    const james = await live("realm2", "james", "medan");
    await eventually(() => messi.client.send("james", "live across realms"));
    expect(await seen(james.events, (e) => e.ev === "message", "a message")).toMatchObject({
      from: "messi@realm1",
      fromName: "Lionel Messi",
      text: "live across realms",
    });

    await messi.client.join("batak");
    await messi.client.say("batak", "before james came");
    const joined = await eventually(() => james.client.join("batak@realm1"));
    expect(joined).toMatchObject({ group: "batak", home: "realm1" });
    // The home realm's roster and history come with the join.
    expect(joined.members).toEqual(["messi@realm1", "james"]);
    expect(joined.history.filter((h) => h.kind === "message").map((h) => `${h.member}: ${h.text}`)).toEqual([
      "messi@realm1: before james came",
    ]);
    await james.client.join("local-room");
    const classic = await t.connect("realm1", "henderson", "surabaya");
    const h = lines();
    await classic.joinGroup("batak", h.push);
    await james.client.say("batak@realm1", "from a live user on realm2");
    await h.has("james@realm2: from a live user on realm2");
    classic.say("from a classic user on realm1");
    expect(
      await seen(james.events, (e) => e.ev === "group" && e.kind === "message" && e.member === "henderson@realm1", "henderson's line"),
    ).toMatchObject({
      group: "batak",
      home: "realm1",
      text: "from a classic user on realm1",
    });
    expect(
      await seen(messi.events, (e) => e.ev === "group" && e.kind === "message" && e.member === "james@realm2", "james's line"),
    ).toMatchObject({ group: "batak" });
    const who = await james.client.who("batak@realm1");
    expect([...who.online].sort()).toEqual(["henderson@realm1", "james", "messi@realm1"]);
  }, 60_000);

  it("a message from another realm to a live recipient is held, delivered once its client acknowledges it, and not written", async () => {
    // A minute to acknowledge: only james's ack can be what tells messi it was delivered.
    const t = await federation.start(["--hand-off-ms", "60000"]);
    const messi = await live("realm1", "messi", "surabaya");
    const james = await live("realm2", "james", "medan");
    // jantuar is offline: his message takes the commit path, and is answered when realm2 stored it.
    await eventually(() => messi.client.send("jantuar", "while you were away"));
    const sent = messi.client.send("james", "held across");
    const pushed = (await seen(james.events, (e) => e.ev === "message" && e.text === "held across", "it")) as { msgId: string };
    // realm2 has not answered: past its 500 ms messi hears "queued", and nothing is delivered yet.
    expect(await sent).toMatchObject({ msgId: pushed.msgId, queued: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(messi.events.filter((e) => e.ev === "delivered")).toEqual([]);
    expect(await james.client.ack(pushed.msgId)).toBe(1);
    expect(await seen(messi.events, (e) => e.ev === "delivered", "a delivered event")).toEqual({
      ev: "delivered",
      msgId: pushed.msgId,
      to: "james@realm2",
    });
    const db = new DatabaseSync(join(t.realm("realm2").options.dataDir, "realm.db"), { readOnly: true });
    try {
      const rows = (table: string, id: string): unknown => db.prepare(`SELECT count(*) AS n FROM ${table} WHERE id = ?`).get(id);
      expect(rows("relayed", pushed.msgId)).toEqual({ n: 0 });
      expect(rows("inbox", pushed.msgId)).toEqual({ n: 0 });
      const away = db.prepare("SELECT id FROM inbox WHERE recipient = 'jantuar'").all() as { id: string }[];
      expect(away).toHaveLength(1);
      expect(rows("relayed", away[0]?.id ?? "")).toEqual({ n: 1 });
    } finally {
      db.close();
    }
    expect(await james.client.inbox()).toEqual([]);
  }, 60_000);

  it("a member on another realm pages a group's history back through its home, with the home's event ids", async () => {
    await federation.start();
    const messi = await live("realm1", "messi", "surabaya");
    const james = await live("realm2", "james", "medan");
    await messi.client.join("batak");
    for (let i = 0; i < 80; i++) await messi.client.say("batak", `line ${i}`);
    const joined = await eventually(() => james.client.join("batak@realm1"));
    expect(joined.history).toHaveLength(50);
    const page = await james.client.request("history", { group: "batak@realm1", before: joined.history[0]?.eventId ?? "", limit: 100 });
    expect(page).toMatchObject({ group: "batak", home: "realm1", more: false });
    const all = [...page.history, ...joined.history].filter((h) => h.kind === "message").map((h) => h.text);
    expect(all).toEqual(Array.from({ length: 80 }, (_, i) => `line ${i}`));
    await messi.client.say("batak", "live now");
    const pushed = await seen(james.events, (e) => e.ev === "group" && e.text === "live now", "the live line");
    const home = await messi.client.request("history", { group: "batak", before: "none" });
    expect(home.history).toEqual([]);
    const rejoined = await james.client.join("batak@realm1");
    // The event id and time a member realm shows are the home's own, as its history has them.
    expect(rejoined.history.find((h) => h.text === "live now")).toMatchObject({
      eventId: (pushed as { eventId: string }).eventId,
      ts: (pushed as { ts: number }).ts,
    });
  }, 60_000);

  it("a message queued while the peer is down brings a 'delivered' event when it gets there", async () => {
    const t = await federation.start();
    const messi = await live("realm1", "messi", "surabaya");
    await eventually(() => messi.client.send("james", "warm-up"));
    await t.bridge("realm2").process.kill();
    const queued = await messi.client.send("james", "later");
    expect(queued.queued).toBe(true);
    await t.restartBridge("realm2");
    expect(await seen(messi.events, (e) => e.ev === "delivered", "a delivered event")).toEqual({
      ev: "delivered",
      msgId: queued.msgId,
      to: "james@realm2",
    });
    const james = await live("realm2", "james", "medan");
    expect((await james.client.inbox()).map((m) => m.text)).toEqual(["warm-up", "later"]);
  }, 60_000);

  it("the 'delivered' event of a queued message still comes after the sender's realm restarted", async () => {
    const t = await federation.start();
    const first = await live("realm1", "messi", "surabaya");
    await eventually(() => first.client.send("james", "warm-up"));
    await t.bridge("realm2").process.kill();
    const queued = await first.client.send("james", "across a restart");
    expect(queued.queued).toBe(true);
    await t.restartRealm("realm1");
    const again = await eventually(() => live("realm1", "messi", "surabaya"));
    await t.restartBridge("realm2");
    expect(await seen(again.events, (e) => e.ev === "delivered", "a delivered event")).toEqual({
      ev: "delivered",
      msgId: queued.msgId,
      to: "james@realm2",
    });
  }, 60_000);

  it("a send to another realm is answered when that realm answers, while the connection serves the next request", async () => {
    const t = await federation.start();
    const messi = await live("realm1", "messi", "surabaya");
    await eventually(() => messi.client.send("james@realm2", "warm up"));
    // realm2's server stops answering (SIGSTOP) while its bridge stays up: the answer is slow.
    const realm2 = t.realm("realm2").process.child;
    realm2.kill("SIGSTOP");
    try {
      const socket = connect(t.realm("realm1").port, "127.0.0.1");
      let text = "";
      socket.setEncoding("utf8");
      socket.on("data", (d: string) => (text += d));
      await new Promise((r) => socket.once("connect", r));
      socket.write(`${JSON.stringify({ id: 1, op: "resume", token: messi.token })}\n`);
      socket.write(`${JSON.stringify({ id: 2, op: "send", to: "james@realm2", text: "slow answer" })}\n`);
      socket.write(`${JSON.stringify({ id: 3, op: "send", to: "henderson", text: "local, answered at once" })}\n`);
      const replies = await eventually(() => {
        const got = text
          .split("\n")
          .filter((l) => l.startsWith('{"re"'))
          .map((l) => JSON.parse(l) as { re: number; ok: boolean; queued?: boolean });
        if (got.length < 3) throw new Error(`replies so far: ${text}`);
        return got;
      }, 15_000);
      // The local send's reply came before the remote one's, which says "queued" (realm2 is silent).
      expect(replies.map((r) => r.re)).toEqual([1, 3, 2]);
      expect(replies[2]).toMatchObject({ re: 2, ok: true, queued: true });
      socket.destroy();
    } finally {
      realm2.kill("SIGCONT");
    }
  }, 60_000);
});
