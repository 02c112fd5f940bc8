import { afterEach, describe, expect, it } from "vitest";
import { testSecret } from "../src/topology-config.ts";
import { collectInbox, eventually, lines, startFederation, type FederationFixture } from "./federation-fixtures.ts";

let fed: FederationFixture | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
});

describe("federation under failure", () => {
  it("receiving bridge killed (-9) and restarted: messages queued meanwhile arrive once, in order", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    const james = await t.connect("realm2", "james", "medan");
    await eventually(() => messi.send("james", "before"));
    await t.bridge("realm2").process.kill();
    // realm1 still knows james (directories are kept while a realm is unreachable).
    const replies = [];
    for (let i = 0; i < 20; i++) replies.push(await messi.send("james", `while down ${i}`));
    expect(replies.every((r) => r.queued)).toBe(true);
    expect(replies[0]?.message).toBe("Message Queued");
    await t.restartBridge("realm2");
    await messi.send("james", "after");
    const inbox = await collectInbox(james, 22);
    expect(inbox.map((e) => e.text)).toEqual(["before", ...Array.from({ length: 20 }, (_, i) => `while down ${i}`), "after"]);
  }, 60_000);

  it("sending bridge killed (-9) mid-stream and restarted: nothing acknowledged is lost or doubled", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    const james = await t.connect("realm2", "james", "medan");
    await eventually(() => messi.send("james", "m 0"));
    let killed: Promise<void> | undefined;
    for (let i = 1; i <= 60; i++) {
      // The kill lands while later sends are on their way through the dying bridge.
      if (i === 20) killed = t.bridge("realm1").process.kill();
      await messi.send("james", `m ${i}`);
    }
    await killed;
    await t.restartBridge("realm1");
    const inbox = await collectInbox(james, 61);
    expect(inbox.map((e) => e.text)).toEqual(Array.from({ length: 61 }, (_, i) => `m ${i}`));
    expect(new Set(inbox.map((e) => e.id)).size).toBe(61);
  }, 60_000);

  it("a wrong peer secret: the link is refused and logged on both sides; messages wait, nothing crashes", async () => {
    fed = await startFederation(undefined, { peerSecret: (self) => testSecret("chosen by", self, "alone") });
    const t = fed.topology;
    await eventually(() => {
      expect(t.bridge("realm1").process.stderr).toMatch(/link refused/);
      expect(t.bridge("realm2").process.stderr).toMatch(/link refused/);
    });
    expect(t.bridge("realm1").process.stderr).toMatch(/bad proof \(wrong secret\?\)|refused/);
    const messi = await t.connect("realm1", "messi", "surabaya");
    // No directory from realm2 ever arrived, so james is unknown on realm1.
    await expect(messi.send("james", "hi")).rejects.toMatchObject({ code: "USER_NOT_FOUND" });
    expect(t.bridge("realm1").process.running && t.bridge("realm2").process.running).toBe(true);
  }, 60_000);

  it("a bridge with the wrong realm secret is refused by its own realm server", async () => {
    fed = await startFederation(undefined, { bridgeRealmSecret: (realm) => testSecret("not the secret of", realm) });
    const t = fed.topology;
    await eventually(() => expect(t.realm("realm1").process.stderr).toMatch(/bridge link refused/));
    await eventually(() => expect(t.bridge("realm1").process.stderr).toMatch(/link refused/));
  }, 60_000);

  it("a link drop during group chat: remote members are told and removed, then rejoin when it is back", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    const james = await t.connect("realm2", "james", "medan");
    const [m, j] = [lines(), lines()];
    await messi.joinGroup("batak", m.push);
    await eventually(() => james.joinGroup("batak@realm1", j.push));
    await m.has("james@realm2 joined");

    await t.bridge("realm2").process.kill();
    await m.has("james@realm2 left");
    await j.has("* realm1 is unreachable: batak is paused until it is back");
    james.say("into the void");
    await j.has("* not delivered: realm1 is unreachable");
    messi.say("anyone?");
    await m.has("messi: anyone?");

    await t.restartBridge("realm2");
    await j.has("* realm1 is reachable again");
    await eventually(() => expect(m.seen.filter((l) => l === "james@realm2 joined")).toHaveLength(2));
    james.say("back");
    await m.has("james@realm2: back");
    expect(m.seen).not.toContain("james@realm2: into the void");
  }, 60_000);
});

describe("a peer realm whose server is down while both bridges are up", () => {
  it("answers a cross-realm send as queued within seconds, and delivers it once the realm is back", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    await eventually(() => messi.send("james", "before"));
    await t.realm("realm2").process.kill();
    const started = Date.now();
    const reply = await messi.send("james", "while realm2's server is down");
    expect(reply.queued).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    await t.restartRealm("realm2");
    const james = await t.connect("realm2", "james", "medan");
    const inbox = await collectInbox(james, 2, 30_000);
    expect(inbox.map((e) => e.text)).toEqual(["before", "while realm2's server is down"]);
  }, 60_000);
});
