import { describe, expect, it } from "vitest";
import { startRealmServer, type RealmConfig, type RunningRealmServer } from "../src/index.ts";
import { postgresForThisFile, realmOneWith } from "./support/embedded-postgres.ts";
import { LiveWire } from "./live-client.ts";
import { WireClient } from "./wire-client.ts";

const server = postgresForThisFile();

const config = (): Promise<RealmConfig> => realmOneWith(["messi", "henderson", "lineker"]);

async function instances(n: number, storeUrl: string): Promise<RunningRealmServer[]> {
  const cfg = await config();
  const out: RunningRealmServer[] = [];
  // One at a time: the first migrates the schema (the others would wait on its lock anyway).
  for (let i = 0; i < n; i++) out.push(await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl }));
  return out;
}

const messagesOf = (client: LiveWire): string[] =>
  client.events.filter((e) => e.ev === "group" && e.kind === "message").map((e) => `${String(e.member)}: ${String(e.text)}`);

describe("one realm as three instances on one PostgreSQL database: groups", () => {
  it("members on different instances, classic and live, see every event of the group once and in one order", async () => {
    const [a, b, c] = (await instances(3, await server.createDatabase("cluster_groups"))) as [
      RunningRealmServer,
      RunningRealmServer,
      RunningRealmServer,
    ];
    const classic = await WireClient.connect(a.listener.port);
    const token = await classic.auth("messi", "surabaya");
    classic.write(`group ${token} batak origin\r\n`);
    expect(await classic.line()).toBe("messi joined");
    const henderson = await LiveWire.connect(b.listener.port);
    await henderson.ok("auth", { user: "henderson", password: "surabaya" });
    await henderson.ok("join", { group: "batak" });
    expect(await classic.line()).toBe("henderson joined");
    const lineker = await LiveWire.connect(c.listener.port);
    await lineker.ok("auth", { user: "lineker", password: "surabaya" });
    const joined = await lineker.ok("join", { group: "batak" });
    expect(joined.members).toEqual(expect.arrayContaining(["messi", "henderson", "lineker"]));
    expect(await classic.line()).toBe("lineker joined");
    await henderson.event((e) => e.ev === "group" && e.kind === "joined" && e.member === "lineker");

    // All three talk at once, through three instances.
    const sent: string[] = [];
    const says: Array<Promise<unknown>> = [];
    for (let i = 0; i < 20; i++) {
      classic.write(`m${i}\n`);
      sent.push(`messi: m${i}`);
      says.push(henderson.ok("say", { group: "batak", text: `h${i}` }));
      sent.push(`henderson: h${i}`);
      says.push(lineker.ok("say", { group: "batak", text: `l${i}` }));
      sent.push(`lineker: l${i}`);
    }
    await Promise.all(says);
    const classicLines: string[] = [];
    while (classicLines.length < 60) classicLines.push(await classic.line());
    for (const live of [henderson, lineker]) {
      for (let i = 0; i < 100 && messagesOf(live).length < 60; i++) await new Promise((r) => setTimeout(r, 50));
    }
    // Each saw all 60 lines once, and all three in the same order.
    expect([...classicLines].sort()).toEqual([...sent].sort());
    expect(messagesOf(henderson)).toEqual(classicLines);
    expect(messagesOf(lineker)).toEqual(classicLines);
    // Each sender's own lines stay in the order sent.
    expect(classicLines.filter((l) => l.startsWith("lineker"))).toEqual(sent.filter((l) => l.startsWith("lineker")));

    const who = await henderson.ok("who", { group: "batak" });
    expect([...(who.online as string[])].sort()).toEqual(["henderson", "lineker", "messi"]);

    // A member leaving on one instance is seen leaving on the others.
    await lineker.ok("leave", { group: "batak" });
    expect(await classic.line()).toBe("lineker left");
    expect(await henderson.event((e) => e.ev === "group" && e.kind === "left")).toMatchObject({ member: "lineker" });
    const after = await henderson.ok("who", { group: "batak" });
    expect([...(after.online as string[])].sort()).toEqual(["henderson", "messi"]);

    classic.close();
    henderson.close();
    lineker.close();
    for (const s of [a, b, c]) await s.close();
  }, 60_000);

  it("an instance that joins later knows who is in a group, and one that stops makes its members quit", async () => {
    const storeUrl = await server.createDatabase("cluster_roster");
    const [a, b] = (await instances(2, storeUrl)) as [RunningRealmServer, RunningRealmServer];
    const messi = await LiveWire.connect(a.listener.port);
    await messi.ok("auth", { user: "messi", password: "surabaya" });
    await messi.ok("join", { group: "derby" });
    const henderson = await LiveWire.connect(b.listener.port);
    await henderson.ok("auth", { user: "henderson", password: "surabaya" });
    await henderson.ok("join", { group: "derby" });

    const [late] = (await instances(1, storeUrl)) as [RunningRealmServer];
    const lineker = await LiveWire.connect(late.listener.port);
    await lineker.ok("auth", { user: "lineker", password: "surabaya" });
    const who = await lineker.ok("who", { group: "derby" });
    expect([...(who.online as string[])].sort()).toEqual(["henderson", "messi"]);

    // B stops: its member's connection ends and the others see them quit.
    await b.close();
    expect(await messi.event((e) => e.ev === "group" && e.kind === "quit")).toMatchObject({ member: "henderson", group: "derby" });
    const now = await lineker.ok("who", { group: "derby" });
    expect(now.online).toEqual(["messi"]);
    messi.close();
    henderson.close();
    lineker.close();
    await a.close();
    await late.close();
  }, 60_000);
});
