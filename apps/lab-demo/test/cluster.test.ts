import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LiveClient } from "@realmchat/cli";
import type { LiveEvent } from "@realmchat/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runChaos } from "../src/chaos/chaos-run.ts";
import { startLocalPostgres, type LocalPostgres } from "../src/local-postgres.ts";
import { collectInbox, eventually, startFederation, type FederationFixture } from "./federation-fixtures.ts";
import { SeedStyleClient } from "./seed-style-client.ts";

// Each realm as several realm-server processes on one PostgreSQL database (docs/design/scale-out.md).
let dir: string;
let postgres: LocalPostgres;
let fed: FederationFixture | undefined;
const opened: Array<{ close(): Promise<void> | void }> = [];
let run = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "realmchat-cluster-"));
  // PostgreSQL runs as its own user (never root), which must reach its folder inside ours.
  await chmod(dir, 0o755);
  postgres = await startLocalPostgres(join(dir, "postgres"));
}, 60_000);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()));
  await fed?.close();
  fed = undefined;
});
afterAll(async () => {
  await postgres.stop();
  await rm(dir, { recursive: true, force: true });
});

async function cluster(instances: number): Promise<FederationFixture> {
  const prefix = `t${++run}`;
  fed = await startFederation(undefined, {}, { instances, storeUrlOf: (realm) => postgres.database(`${prefix}_${realm}`) });
  return fed;
}

async function seed(port: number, user: string, password: string): Promise<SeedStyleClient> {
  const client = await SeedStyleClient.connect(port);
  opened.push({ close: () => void client.socket.destroy() });
  await client.login(user, password);
  return client;
}

describe("a realm as several instances on one PostgreSQL database", () => {
  it("the seed's client on either instance: private and group chat across instances and realms, with a live member", async () => {
    const t = (await cluster(2)).topology;
    const [r1a, r1b] = t.instancesOf("realm1");
    const [, r2b] = t.instancesOf("realm2");
    const messi = await seed(r1b?.port as number, "messi", "surabaya");
    const henderson = await seed(r1a?.port as number, "henderson", "surabaya");
    const james = await seed(r2b?.port as number, "james", "medan");

    expect(await messi.sendmessage("henderson", "apa kabar disana?")).toMatchObject({ status: "OK" });
    expect(await henderson.sendstring(`inbox ${henderson.token} \r\n`)).toMatchObject({
      messages: { messi: [{ msg: "apa kabar disana?" }] },
    });
    await eventually(async () =>
      expect(await messi.sendmessage("james", "Halo, apa kabar, James?")).toMatchObject({ status: "OK", message: "Message Sent" }),
    );
    expect(await james.sendstring(`inbox ${james.token} \r\n`)).toMatchObject({
      messages: { "messi@realm1": [{ msg: "Halo, apa kabar, James?" }] },
    });

    const events: LiveEvent[] = [];
    const lineker = await LiveClient.connect(r1a as { host: string; port: number }, (e) => events.push(e));
    opened.push(lineker);
    await lineker.auth("lineker", "surabaya");

    messi.groupChat("batak");
    await messi.sees("messi joined\n");
    henderson.groupChat("batak");
    await messi.sees("henderson joined\n");
    await lineker.join("batak");
    await henderson.sees("lineker joined\n");
    // realm2 learns of the new group from realm1's directory, whichever instance it came from.
    await eventually(async () => {
      james.groupChat("batak");
      await james.sees("james joined\n");
    });
    await messi.sees("james@realm2 joined\n");
    james.type("halo gaes");
    for (const c of [messi, henderson]) await c.sees("james@realm2: halo gaes\n");
    henderson.type("halo dari instance satu");
    await messi.sees("henderson: halo dari instance satu\n");
    await james.sees("henderson@realm1: halo dari instance satu\n");
    await lineker.say("batak", "dan dari live");
    for (const c of [messi, henderson]) await c.sees("lineker: dan dari live\n");
    await james.sees("lineker@realm1: dan dari live\n");
    await eventually(() =>
      expect(events.filter((e) => e.ev === "group" && e.kind === "message").map((e) => (e as { text: string }).text)).toEqual([
        "halo gaes",
        "halo dari instance satu",
        "dan dari live",
      ]),
    );
  }, 90_000);

  it("federation goes on through another instance when the one holding the bridge link is killed", async () => {
    const t = (await cluster(2)).topology;
    const [holder, survivor] = t.instancesOf("realm1");
    const messi = await t.connect("realm1", "messi", "surabaya", 2);
    const james = await t.connect("realm2", "james", "medan");
    await eventually(() => messi.send("james", "before"));
    // Group members on connections of their own (a classic connection in a group only talks there).
    const messiInGroup = await t.connect("realm1", "messi", "surabaya", 2);
    const jamesInGroup = await t.connect("realm2", "james", "medan");
    const jamesSees: string[] = [];
    await messiInGroup.joinGroup("derby", () => undefined);
    await eventually(() => jamesInGroup.joinGroup("derby@realm1", (l) => jamesSees.push(l)));

    // The bridge dials the first instance first: that one holds the link.
    expect(holder?.process.stderr).toContain("bridge linked");
    expect(survivor?.process.stderr).not.toContain("bridge linked");
    await holder?.process.kill();
    const killedAt = Date.now();
    for (let i = 1; i <= 20; i++) await messi.send("james", `after ${i}`);
    const got = await collectInbox(james, 21, 30_000);
    expect(got.map((m) => m.text)).toEqual(["before", ...Array.from({ length: 20 }, (_, i) => `after ${i + 1}`)]);
    const failover = Date.now() - killedAt;

    const back = await james.send("messi@realm1", "sampai");
    expect(back.queued).toBe(false);
    expect((await collectInbox(messi, 1)).map((m) => m.text)).toEqual(["sampai"]);
    // The group homed on realm1 lives on through the surviving instance; james is back in it.
    await eventually(async () => {
      messiInGroup.say(`still here ${Date.now()}`);
      await eventually(() => expect(jamesSees.some((l) => l.startsWith("messi@realm1: still here"))).toBe(true), 1000);
    }, 20_000);
    expect(survivor?.process.stderr).toContain("bridge linked");
    console.log(`cluster failover: 20 messages through a killed link holder arrived once each, in order, ${failover} ms after the kill`);
  }, 90_000);

  it("a group that loses a merge moves its members on every instance of its realm", async () => {
    const t = (await cluster(2)).topology;
    const messiEvents: LiveEvent[] = [];
    const messi = await LiveClient.connect(t.realm("realm1"), (e) => messiEvents.push(e));
    opened.push(messi);
    await messi.auth("messi", "surabaya");
    const jamesEvents: LiveEvent[] = [];
    const james = await LiveClient.connect(t.realm("realm2"), (e) => jamesEvents.push(e));
    opened.push(james);
    await james.auth("james", "medan");
    await eventually(() => messi.send("james", "before the cut"));

    await t.bridge("realm2").process.kill();
    await messi.join("derby");
    await messi.say("derby", "p1");
    await new Promise((r) => setTimeout(r, 20));
    // realm2 cannot know realm1's derby: it makes its own, with members on both of its instances.
    expect(await james.join("derby")).toMatchObject({ group: "derby", home: "realm2" });
    const taeno = await seed(t.realm("realm2.2").port, "taeno", "tokyo");
    taeno.groupChat("derby");
    await taeno.sees("taeno joined\n");
    await james.say("derby", "q1");
    await taeno.sees("james: q1\n");

    await t.restartBridge("realm2");
    await taeno.sees("* #derby is now one group with #derby@realm1 (same name, created first on realm1); you are in it\n");
    await eventually(() => expect(jamesEvents.some((e) => e.ev === "moved")).toBe(true), 15_000);
    await eventually(
      async () => expect([...(await messi.who("derby")).online].sort()).toEqual(["james@realm2", "messi", "taeno@realm2"]),
      15_000,
    );
    await messi.say("derby", "after the merge");
    await taeno.sees("messi@realm1: after the merge\n");
    taeno.type("dari instance dua");
    await eventually(() => expect(messiEvents.some((e) => e.ev === "group" && e.text === "dari instance dua")).toBe(true));
  }, 90_000);

  it("kill -9 of instances under load (3 per realm): every acknowledged message arrives once, in order", async () => {
    const report = await runChaos({ messages: 600, killEveryMs: 300, seed: 1207, instances: 3, settleMs: 60_000 });
    console.log(`cluster chaos: ${JSON.stringify(report)}`);
    expect(report.kills).toBeGreaterThanOrEqual(2);
    expect(report.acknowledged).toBeGreaterThan(300);
    expect({ lost: report.lost, duplicated: report.duplicated, outOfOrder: report.outOfOrder }).toEqual({
      lost: 0,
      duplicated: 0,
      outOfOrder: 0,
    });
  }, 240_000);
});
