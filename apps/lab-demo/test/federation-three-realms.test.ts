import { afterEach, describe, expect, it } from "vitest";
import { collectInbox, eventually, lines, startFederation, type FederationFixture } from "./federation-fixtures.ts";
import type { RealmSpec } from "../src/topology-config.ts";

const THREE: RealmSpec[] = [
  {
    name: "realm1",
    users: [
      { user: "messi", password: "pw1" },
      { user: "sam", password: "pw1", name: "Sam One" },
    ],
  },
  {
    name: "realm2",
    users: [
      { user: "james", password: "pw2" },
      { user: "sam", password: "pw2", name: "Sam Two" },
    ],
  },
  {
    name: "realm3",
    users: [
      { user: "kai", password: "pw3" },
      { user: "sam", password: "pw3", name: "Sam Three" },
    ],
  },
];

let fed: FederationFixture | undefined;
afterEach(async () => {
  await fed?.close();
  fed = undefined;
});

describe("three realms in a full mesh", () => {
  it("private chat between every pair; a local name wins over the peers' same name; user@realm reaches the others", async () => {
    fed = await startFederation(THREE);
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "pw1");
    const james = await t.connect("realm2", "james", "pw2");
    const kai = await t.connect("realm3", "kai", "pw3");
    await eventually(() => messi.send("kai", "1 to 3"));
    await eventually(() => kai.send("james", "3 to 2"));
    await eventually(() => james.send("messi", "2 to 1"));
    await kai.send("messi@realm1", "3 to 1");
    expect((await collectInbox(kai, 1)).map((e) => `${e.from}: ${e.text}`)).toEqual(["messi@realm1: 1 to 3"]);
    expect((await collectInbox(james, 1)).map((e) => `${e.from}: ${e.text}`)).toEqual(["kai@realm3: 3 to 2"]);
    expect((await collectInbox(messi, 2)).map((e) => `${e.from}: ${e.text}`)).toEqual(["james@realm2: 2 to 1", "kai@realm3: 3 to 1"]);

    // realm1 has its own sam: a bare name means the local one.
    const sam1 = await t.connect("realm1", "sam", "pw1");
    await messi.send("sam", "local sam");
    expect((await collectInbox(sam1, 1)).map((e) => e.text)).toEqual(["local sam"]);
    await eventually(() => messi.send("sam@realm3", "to the third sam"));
    const sam3 = await t.connect("realm3", "sam", "pw3");
    expect((await collectInbox(sam3, 1)).map((e) => `${e.from}: ${e.text}`)).toEqual(["messi@realm1: to the third sam"]);
  }, 90_000);

  it("a bare name found on two peers (and not locally) is an ERROR listing the qualified names", async () => {
    fed = await startFederation([
      { name: "realm1", users: [{ user: "messi", password: "pw" }] },
      { name: "realm2", users: [{ user: "sam", password: "pw" }] },
      { name: "realm3", users: [{ user: "sam", password: "pw" }] },
    ]);
    const messi = await fed.topology.connect("realm1", "messi", "pw");
    const err = await eventually(async () => {
      const e = await messi.send("sam", "which one?").then(
        () => undefined,
        (x: unknown) => x as { code?: string; message: string },
      );
      if (e?.code !== "AMBIGUOUS_USER") throw new Error(`not yet ambiguous: ${JSON.stringify(e)}`);
      return e;
    });
    expect(err.message).toContain("sam@realm2");
    expect(err.message).toContain("sam@realm3");
  }, 90_000);

  it("a group homed on realm2 with members on all three realms", async () => {
    fed = await startFederation(THREE);
    const t = fed.topology;
    const messi = await t.connect("realm1", "messi", "pw1");
    const james = await t.connect("realm2", "james", "pw2");
    const kai = await t.connect("realm3", "kai", "pw3");
    const [m, j, k] = [lines(), lines(), lines()];
    await james.joinGroup("jazz", j.push);
    await eventually(() => messi.joinGroup("jazz@realm2", m.push));
    await eventually(() => kai.joinGroup("jazz@realm2", k.push));
    await j.has("kai@realm3 joined");
    await m.has("kai@realm3 joined");
    kai.say("from the third realm");
    await m.has("kai@realm3: from the third realm");
    await j.has("kai@realm3: from the third realm");
    await k.has("kai: from the third realm");
    messi.say("from the first");
    await k.has("messi@realm1: from the first");
    await messi.leaveGroup();
    await k.has("messi@realm1 left");
    await j.has("messi@realm1 left");
  }, 90_000);
});
