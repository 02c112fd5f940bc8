import { describe, expect, it } from "vitest";
import { RecordingMember, serviceRealm } from "../../test/service-realm.ts";

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe("GroupMerger", () => {
  it("a group losing to an older one of its name moves its members, hands over members and history, redirects late requests", async () => {
    const { realm, store, port, bridge } = await serviceRealm("realm2", ["james", "taeno"]);
    realm.federation.onLinkReady(bridge);
    port.setPeerUp("realm1", true);
    port.setPeerUp("realm3", true);
    const { groups } = realm.services;
    const james = new RecordingMember("james");
    const g = await groups.resolve("james", "g", undefined);
    expect(g).toEqual({ name: "g", home: "realm2" });
    await groups.join(james, g);
    await groups.say(james, g, "halo");
    realm.federation.onLinkFrame(bridge, { t: "gjoin", id: "j1", origin: "realm3", to: "realm2", group: "g", user: "kai" });
    await settle();
    const created = (await store.groups.get("g"))?.createdAt ?? 0;

    // realm1's directory: the same name, created a millisecond earlier.
    bridge.frames.length = 0;
    realm.federation.onLinkFrame(bridge, { t: "directory", realm: "realm1", users: [], groups: [{ name: "g", created: created - 1 }] });
    await settle();
    expect(james.moves).toEqual(["g@realm2 -> g@realm1"]);
    expect(james.lines.at(-1)).toBe("* #g is now one group with #g@realm1 (same name, created first on realm1); you are in it\n");
    expect(bridge.frames.map((f) => `${f.t}${"to" in f ? ` ${f.to}` : ""}`)).toEqual([
      "gjoin realm1",
      "gwhere realm3",
      "gmerge realm1",
      "directory",
    ]);
    expect(bridge.last("gwhere")).toMatchObject({ group: "g", home: "realm1" });
    expect(bridge.last("gmerge")).toMatchObject({
      group: "g",
      created,
      members: [
        { user: "james", realm: "realm2" },
        { user: "kai", realm: "realm3" },
      ],
    });
    expect(bridge.last("gmerge")?.history.map((h) => `${h.user} ${h.kind} ${h.text ?? ""}`.trim())).toEqual([
      "james joined",
      "james message halo",
      "kai joined",
    ]);
    expect(bridge.last("directory")?.groups).toEqual([]);

    // The name now means realm1's group, here too; a message that still comes here is handed back.
    expect(await groups.resolve("taeno", "g", undefined)).toEqual({ name: "g", home: "realm1" });
    expect(await groups.resolve("taeno", "g", "realm2")).toEqual({ name: "g", home: "realm1" });
    realm.federation.onLinkFrame(bridge, { t: "gsay", id: "s1", origin: "realm3", to: "realm2", group: "g", user: "kai", text: "late" });
    await settle();
    expect(bridge.last("gwhere")).toMatchObject({ to: "realm3", group: "g", home: "realm1", user: "kai", text: "late" });

    // Offered again when realm1 comes back, until realm1 confirms.
    realm.federation.onLinkFrame(bridge, { t: "peer", realm: "realm1", up: false });
    bridge.frames.length = 0;
    realm.federation.onLinkFrame(bridge, { t: "peer", realm: "realm1", up: true });
    await settle();
    expect(bridge.frames.filter((f) => f.t === "gmerge")).toHaveLength(1);
    realm.federation.onLinkFrame(bridge, { t: "gmerged", id: "m1", origin: "realm1", to: "realm2", group: "g" });
    await settle();
    expect(await store.groups.members("g")).toEqual([]);
    expect(await store.groups.pendingMerges()).toEqual([]);
  });

  it("the winner takes in the loser's members and history once, merged by time, and its own users follow", async () => {
    const { realm, store, port, bridge } = await serviceRealm("realm1", ["messi", "henderson"]);
    realm.federation.onLinkReady(bridge);
    port.setPeerUp("realm2", true);
    const { groups } = realm.services;
    const messi = new RecordingMember("messi");
    const g = await groups.resolve("messi", "g", undefined);
    await groups.join(messi, g);
    await groups.say(messi, g, "first");
    const t0 = Date.now();
    // henderson had joined realm2's g by its exact address.
    const other = new RecordingMember("henderson");
    const joining = realm.federation.joinRemote({ name: "g", home: "realm2" }, other);
    realm.federation.onLinkFrame(bridge, {
      t: "groster",
      id: "r",
      origin: "realm2",
      to: "realm1",
      group: "g",
      members: [],
      online: [],
      history: [],
    });
    await joining;
    const merge = {
      t: "gmerge" as const,
      id: "m1",
      origin: "realm2",
      to: "realm1",
      group: "g",
      created: t0,
      members: [
        { user: "james", realm: "realm2" },
        { user: "messi", realm: "realm1" },
      ],
      history: [
        { kind: "joined" as const, user: "james", realm: "realm2", ts: t0 - 10_000 },
        { kind: "message" as const, user: "james", realm: "realm2", text: "from the other side", ts: t0 - 5_000 },
      ],
    };
    realm.federation.onLinkFrame(bridge, merge);
    await settle();
    realm.federation.onLinkFrame(bridge, { ...merge, id: "m2" });
    await settle();
    expect(bridge.frames.filter((f) => f.t === "gmerged")).toHaveLength(2);
    expect(await store.groups.members("g")).toEqual(["messi", "james@realm2", "henderson"]);
    expect((await groups.snapshot(g)).history.map((h) => `${h.member} ${h.kind} ${h.text ?? ""}`.trim())).toEqual([
      "james@realm2 joined",
      "james@realm2 message from the other side",
      "messi joined",
      "messi message first",
      "henderson joined",
    ]);
    expect(other.moves).toEqual(["g@realm2 -> g@realm1"]);
  });

  it("a member's realm told that a group moved moves its members there and sends a handed-back message again", async () => {
    const { realm, port, bridge } = await serviceRealm("realm3", ["kai"]);
    realm.federation.onLinkReady(bridge);
    port.setPeerUp("realm1", true);
    port.setPeerUp("realm2", true);
    const kai = new RecordingMember("kai");
    const joining = realm.services.groups.join(kai, { name: "g", home: "realm2" });
    realm.federation.onLinkFrame(bridge, {
      t: "groster",
      id: "r",
      origin: "realm2",
      to: "realm3",
      group: "g",
      members: [],
      online: [],
      history: [],
    });
    await joining;
    bridge.frames.length = 0;
    realm.federation.onLinkFrame(bridge, {
      t: "gwhere",
      id: "w",
      origin: "realm2",
      to: "realm3",
      group: "g",
      home: "realm1",
      user: "kai",
      text: "late",
    });
    await settle();
    expect(kai.moves).toEqual(["g@realm2 -> g@realm1"]);
    expect(bridge.frames.map((f) => f.t)).toEqual(["gjoin", "gsay"]);
    expect(bridge.last("gsay")).toMatchObject({ to: "realm1", group: "g", user: "kai", text: "late" });
  });

  it("directories alone move followers of a group that lost, even before its home says so", async () => {
    const { realm, port, bridge } = await serviceRealm("realm3", ["kai"]);
    realm.federation.onLinkReady(bridge);
    port.setPeerUp("realm1", true);
    port.setPeerUp("realm2", true);
    realm.federation.onLinkFrame(bridge, { t: "directory", realm: "realm2", users: [], groups: [{ name: "g", created: 50 }] });
    const kai = new RecordingMember("kai");
    expect(await realm.services.groups.resolve("kai", "g", undefined)).toEqual({ name: "g", home: "realm2" });
    const joining = realm.services.groups.join(kai, { name: "g", home: "realm2" });
    realm.federation.onLinkFrame(bridge, {
      t: "groster",
      id: "r",
      origin: "realm2",
      to: "realm3",
      group: "g",
      members: [],
      online: [],
      history: [],
    });
    await joining;
    realm.federation.onLinkFrame(bridge, { t: "directory", realm: "realm1", users: [], groups: [{ name: "g", created: 50 }] });
    await settle();
    // Equal times: the realm whose name sorts first wins.
    expect(kai.moves).toEqual(["g@realm2 -> g@realm1"]);
    expect(bridge.last("gjoin")).toMatchObject({ to: "realm1", group: "g", user: "kai" });
  });
});
