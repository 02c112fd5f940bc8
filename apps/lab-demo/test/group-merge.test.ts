import { LiveClient } from "@realmchat/cli";
import type { LiveEvent } from "@realmchat/protocol";
import { describe, expect, it } from "vitest";
import { runGroupRace } from "../src/group-race/group-race.ts";
import { eventually, lines, liveFederationPerTest, type LiveUser } from "./federation-fixtures.ts";

const federation = liveFederationPerTest();
const live = federation.live;

/** The group lines `events` holds, as `member: text`. */
const said = (events: readonly LiveEvent[], group: string): string[] =>
  events.flatMap((e) => (e.ev === "group" && e.group === group && e.kind === "message" ? [`${e.member}: ${e.text ?? ""}`] : []));

const hears = (who: LiveUser, group: string, line: string): Promise<void> =>
  eventually(() => {
    if (!said(who.events, group).includes(line))
      throw new Error(`not heard yet: ${line} (heard ${JSON.stringify(said(who.events, group))})`);
  });

describe("one group per name across the federation", () => {
  it("concurrent creation on 2 realms, round after round, always ends as one group where everyone hears everyone", async () => {
    const result = await runGroupRace({ realms: 2, rounds: 20, spreadMs: 5 });
    expect(result.failures).toEqual([]);
    expect(result.allHeard).toBe(20);
    // The point is the race: most rounds must really have begun as two groups.
    expect(result.merged).toBeGreaterThan(5);
  }, 120_000);

  it("concurrent creation on 3 realms, round after round, always ends as one group where everyone hears everyone", async () => {
    const result = await runGroupRace({ realms: 3, rounds: 15, spreadMs: 2 });
    expect(result.failures).toEqual([]);
    expect(result.allHeard).toBe(15);
    expect(result.merged).toBeGreaterThan(5);
  }, 120_000);

  it("a partition: both sides create the name and chat; once linked it is one group, members moved and told, none lost", async () => {
    const t = await federation.start();
    const messi = await live("realm1", "messi", "surabaya");
    const james = await live("realm2", "james", "medan");
    await eventually(() => messi.client.send("james", "before the cut"));

    await t.bridge("realm2").process.kill();
    await messi.client.join("derby");
    await messi.client.say("derby", "p1");
    await messi.client.say("derby", "p2");
    await new Promise((r) => setTimeout(r, 20));
    // realm2 cannot know realm1's derby: it makes its own, with a classic member too.
    expect(await james.client.join("derby")).toMatchObject({ group: "derby", home: "realm2" });
    const taeno = await t.connect("realm2", "taeno", "tokyo");
    const taenoLines = lines();
    await taeno.joinGroup("derby", taenoLines.push);
    await james.client.say("derby", "q1");
    await james.client.say("derby", "q2");
    await taenoLines.has("james: q2");

    await t.restartBridge("realm2");
    // realm1 created derby first: realm2's members move there, each told in one line.
    const moved = await eventually(() => {
      const e = james.events.find((x) => x.ev === "moved");
      if (e === undefined) throw new Error("james was not moved yet");
      return e;
    }, 15_000);
    expect(moved).toMatchObject({ ev: "moved", group: "derby", from: "realm2", home: "realm1" });
    await taenoLines.has("* #derby is now one group with #derby@realm1 (same name, created first on realm1); you are in it");
    await eventually(async () => {
      const who = await messi.client.who("derby");
      expect([...who.online].sort()).toEqual(["james@realm2", "messi", "taeno@realm2"]);
    }, 15_000);

    // Both sides' history, merged by time, each line once.
    const henderson = await live("realm1", "henderson", "surabaya");
    const joined = await henderson.client.join("derby");
    expect(joined.history.filter((h) => h.kind === "message").map((h) => `${h.member}: ${h.text}`)).toEqual([
      "messi: p1",
      "messi: p2",
      "james@realm2: q1",
      "james@realm2: q2",
    ]);
    // And it keeps talking without anyone joining again by hand.
    await james.client.say("derby", "after from james");
    taeno.say("after from taeno");
    await messi.client.say("derby", "after from messi");
    await hears(messi, "derby", "james@realm2: after from james");
    await hears(messi, "derby", "taeno@realm2: after from taeno");
    await hears(james, "derby", "messi@realm1: after from messi");
    await taenoLines.has("messi@realm1: after from messi");
    await new Promise((r) => setTimeout(r, 300));
    // Each line once; the three senders after the merge talk at once, so only their own order is fixed.
    expect(said(messi.events, "derby").sort()).toEqual([
      "james@realm2: after from james",
      "messi: after from messi",
      "messi: p1",
      "messi: p2",
      "taeno@realm2: after from taeno",
    ]);
    expect(said(james.events, "derby").sort()).toEqual([
      "james: after from james",
      "james: q1",
      "james: q2",
      "messi@realm1: after from messi",
      "taeno: after from taeno",
    ]);
    // The realm that lost lists the one group only.
    expect((await james.client.groups()).filter((g) => g.name === "derby")).toEqual([{ name: "derby", home: "realm1", joined: true }]);
  }, 90_000);

  it("a restart of the group's home mid-conversation keeps its members, history and roster", async () => {
    const t = await federation.start();
    const messi = await live("realm1", "messi", "surabaya");
    const james = await live("realm2", "james", "medan");
    await messi.client.join("futbol");
    // An exact address is asked of its realm even before realm1's directory arrives.
    expect(await james.client.join("futbol@realm1")).toMatchObject({ group: "futbol", home: "realm1" });
    await messi.client.say("futbol", "m1");
    await james.client.say("futbol@realm1", "j1");
    await hears(messi, "futbol", "james@realm2: j1");

    await t.realm("realm1").process.kill();
    await t.restartRealm("realm1");
    const again = await eventually(async () => {
      const events: LiveEvent[] = [];
      const client = await LiveClient.connect(t.realm("realm1"), (e) => events.push(e));
      federation.opened(client);
      await client.resume(messi.token);
      return { client, events, token: messi.token };
    });
    const joined = await again.client.join("futbol");
    expect(joined.history.filter((h) => h.kind === "message").map((h) => `${h.member}: ${h.text}`)).toEqual([
      "messi: m1",
      "james@realm2: j1",
    ]);
    // james's realm puts him back in by itself once realm1 is reachable again.
    await eventually(async () => {
      const who = await again.client.who("futbol");
      expect(who.members).toEqual(["messi", "james@realm2"]);
      expect([...who.online].sort()).toEqual(["james@realm2", "messi"]);
    }, 15_000);
    const seenFrom2 = await james.client.who("futbol@realm1");
    expect(seenFrom2.members).toEqual(["messi@realm1", "james"]);
    await james.client.say("futbol@realm1", "j2 after the restart");
    await hears(again, "futbol", "james@realm2: j2 after the restart");
  }, 90_000);
});
