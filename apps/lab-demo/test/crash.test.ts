import { afterEach, describe, expect, it } from "vitest";
import { runChaos } from "../src/chaos/chaos-run.ts";
import { runHandOffCrash } from "../src/chaos/hand-off-crash.ts";
import { collectInbox, eventually, startFederation, type FederationFixture } from "./federation-fixtures.ts";

let fed: FederationFixture | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
});

describe("crashes lose nothing acknowledged", () => {
  it("kill -9 of realm servers and bridges during a cross-realm and local load: every acknowledged message once, in order", async () => {
    const report = await runChaos({ messages: 1500, killEveryMs: 150, seed: 42 });
    expect(report.kills).toBeGreaterThanOrEqual(2);
    expect(report.acknowledged).toBeGreaterThan(report.sent / 2);
    expect({ lost: report.lost, duplicated: report.duplicated, outOfOrder: report.outOfOrder }).toEqual({
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
    });
  }, 120_000);

  // The load, then up to a minute for everything to arrive (settleMs): on a busy machine more than 120 s in all.
  it("a peer realm down for the whole load, its neighbours killed meanwhile: all arrives once it is back", async () => {
    const report = await runChaos({ messages: 600, killEveryMs: 150, seed: 7, peerDownThroughout: true });
    expect(report.acknowledged).toBeGreaterThan(0);
    expect({ lost: report.lost, duplicated: report.duplicated, outOfOrder: report.outOfOrder }).toEqual({
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
    });
  }, 180_000);

  it("hand-off: kill -9 of the realm and of the recipient's client; each one heard 'sent' is in the client or inbox, once", async () => {
    const report = await runHandOffCrash({ messages: 10_000, killEveryMs: 150, seed: 23, inFlight: 4 });
    expect(report.realmKills).toBeGreaterThanOrEqual(1);
    expect(report.clientKills).toBeGreaterThanOrEqual(1);
    expect(report.heardSent).toBe(10_000);
    // Some were taken by the client from the hand-off, some only from the inbox (stored while it was down).
    expect(report.inClient).toBeGreaterThan(0);
    expect(report.inClient + report.inInboxOnly).toBe(10_000);
    expect({ lost: report.lost, duplicated: report.duplicated }).toEqual({ lost: 0, duplicated: 0 });
  }, 120_000);

  it("hand-off across realms: kill -9 of the recipient's realm and client; each one heard 'sent' or 'queued' arrives, once", async () => {
    const report = await runHandOffCrash({ messages: 5_000, killEveryMs: 150, seed: 29, inFlight: 4, across: true });
    expect(report.realmKills).toBeGreaterThanOrEqual(1);
    expect(report.clientKills).toBeGreaterThanOrEqual(1);
    expect(report.heardSent).toBe(5_000);
    expect(report.inClient).toBeGreaterThan(0);
    expect(report.inClient + report.inInboxOnly).toBe(5_000);
    expect({ lost: report.lost, duplicated: report.duplicated }).toEqual({ lost: 0, duplicated: 0 });
  }, 120_000);

  it("a restarted realm keeps inboxes, groups and logged-in sessions (tokens still work)", async () => {
    fed = await startFederation();
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    const token = messi.token as string;
    await messi.send("henderson", "before the crash");
    await messi.joinGroup("batak", () => undefined);
    await t.realm("realm1").process.kill();
    await t.restartRealm("realm1");
    const again = await t.connectAnonymous("realm1");
    again.token = token;
    again.username = "messi";
    await again.send("henderson", "after the crash, same token");
    const henderson = await t.connect("realm1", "henderson", "surabaya");
    expect((await collectInbox(henderson, 2)).map((e) => e.text)).toEqual(["before the crash", "after the crash, same token"]);
    const seen: string[] = [];
    await again.joinGroup("batak", (l) => seen.push(l));
    expect(seen).toContain("messi joined");
  }, 60_000);

  it("a message queued past its expiry is dropped, and its sender finds an 'undelivered' notice", async () => {
    fed = await startFederation(undefined, {}, { expirySeconds: 1 });
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "surabaya");
    await eventually(() => messi.send("james", "warm-up"));
    await t.bridge("realm2").process.kill();
    expect(await messi.send("james", "into the void")).toMatchObject({ queued: true });
    const notices = await collectInbox(messi, 1);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ from: "postmaster", fromName: "Mail Delivery" });
    expect(notices[0]?.text).toMatch(
      /^Undelivered: your message to james@realm2 of .* could not be delivered \(realm2 unreachable for .* days\): into the void$/,
    );
    await t.restartBridge("realm2");
    const james = await t.connect("realm2", "james", "medan");
    await messi.send("james", "after it came back");
    expect((await collectInbox(james, 2)).map((e) => e.text)).toEqual(["warm-up", "after it came back"]);
  }, 60_000);
});
