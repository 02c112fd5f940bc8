import { describe, expect, it } from "vitest";
import { eventually } from "../../test/support/eventually.ts";
import { RecordingMember, serviceRealm } from "../../test/service-realm.ts";

describe("GroupService", () => {
  it("creates an unknown name here, records the membership, and tells the bridge's peers", async () => {
    const { realm, store, bridge } = await serviceRealm();
    realm.federation.onLinkReady(bridge);
    const group = await realm.services.groups.resolve("messi", "batak", undefined);
    expect(group).toEqual({ name: "batak", home: "realm1" });
    expect(await store.groups.members("batak")).toEqual(["messi"]);
    const created = (await store.groups.get("batak"))?.createdAt;
    await eventually(() => expect(bridge.last("directory")?.groups).toEqual([{ name: "batak", created }]));
  });

  it("means by a bare name the one group of that name, the earliest created, and refuses what cannot be joined", async () => {
    const { realm, port, bridge } = await serviceRealm();
    realm.federation.onLinkReady(bridge);
    const { groups } = realm.services;
    realm.federation.directory.set(
      "realm2",
      [],
      [
        { name: "jazz", created: 5 },
        { name: "both", created: 20 },
      ],
    );
    realm.federation.directory.set("realm3", [], [{ name: "both", created: 10 }]);
    await expect(groups.resolve("messi", "jazz", undefined)).rejects.toMatchObject({ code: "REALM_UNREACHABLE" });
    port.setPeerUp("realm2", true);
    port.setPeerUp("realm3", true);
    expect(await groups.resolve("messi", "jazz", undefined)).toEqual({ name: "jazz", home: "realm2" });
    expect(await groups.resolve("messi", "both", undefined)).toEqual({ name: "both", home: "realm3" });
    expect(await groups.resolve("messi", "both", "realm2")).toEqual({ name: "both", home: "realm2" });
    await expect(groups.resolve("messi", "nothing", "realm9")).rejects.toMatchObject({
      code: "INVALID_ARGUMENT",
      message: "no group 'nothing' on realm 'realm9'",
    });
    // An exact address the directory does not list yet is asked of its realm.
    const asked = groups.resolve("messi", "fresh", "realm3");
    expect(bridge.last("gfind")).toMatchObject({ to: "realm3", group: "fresh" });
    realm.federation.onLinkFrame(bridge, { t: "gwhere", id: "w1", origin: "realm3", to: "realm1", group: "fresh", home: "realm3" });
    expect(await asked).toEqual({ name: "fresh", home: "realm3" });
    const missing = groups.resolve("messi", "nothing", "realm3");
    realm.federation.onLinkFrame(bridge, { t: "gwhere", id: "w2", origin: "realm3", to: "realm1", group: "nothing" });
    await expect(missing).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: "no group 'nothing' on realm 'realm3'" });
  });

  it("joins, talks and leaves a local group; only an explicit leave ends the membership", async () => {
    const { realm, store, bridge } = await serviceRealm();
    realm.federation.onLinkReady(bridge);
    const { groups } = realm.services;
    const messi = new RecordingMember("messi");
    const henderson = new RecordingMember("henderson");
    const g = await groups.resolve("messi", "g", undefined);
    await groups.resolve("henderson", "g", undefined);
    await groups.join(messi, g);
    await groups.join(henderson, g);
    await groups.say(henderson, g, "halo");
    expect(messi.lines).toEqual(["messi joined\n", "henderson joined\n", "henderson: halo\n"]);
    expect(await groups.who(g, "messi")).toEqual({ group: g, members: ["messi", "henderson"], online: ["messi", "henderson"] });
    // A member on another realm is listed among the members too, not only counted online.
    realm.federation.onLinkFrame(bridge, { t: "gjoin", id: "j1", origin: "realm2", to: "realm1", group: "g", user: "james" });
    await eventually(async () =>
      expect(await groups.who(g, "messi")).toEqual({
        group: g,
        members: ["messi", "henderson", "james@realm2"],
        online: ["messi", "henderson", "james@realm2"],
      }),
    );
    await eventually(() => expect(bridge.last("groster")).toBeDefined());
    expect(bridge.last("groster")).toMatchObject({
      to: "realm2",
      members: [
        { user: "messi", realm: "realm1" },
        { user: "henderson", realm: "realm1" },
        { user: "james", realm: "realm2" },
      ],
    });
    groups.leave(henderson, g);
    expect(await groups.who(g, "messi")).toEqual({
      group: g,
      members: ["messi", "henderson", "james@realm2"],
      online: ["messi", "james@realm2"],
    });
    await groups.forget(g, "henderson");
    // Another realm's member who leaves for good is forgotten too.
    realm.federation.onLinkFrame(bridge, {
      t: "gleave",
      id: "l1",
      origin: "realm2",
      to: "realm1",
      group: "g",
      user: "james",
      forget: true,
    });
    await eventually(async () => expect(await store.groups.members("g")).toEqual(["messi"]));
    expect((await groups.snapshot(g)).history.map((h) => `${h.member} ${h.kind}`)).toEqual([
      "messi joined",
      "henderson joined",
      "henderson message",
      "james@realm2 joined",
      "henderson left",
      "james@realm2 left",
    ]);
  });

  it("sends joins and messages of a remote group to its home, and says so when the home is unreachable", async () => {
    const { realm, port, bridge } = await serviceRealm("realm2", ["james"]);
    realm.federation.onLinkReady(bridge);
    port.setPeerUp("realm1", true);
    const james = new RecordingMember("james");
    const batak = { name: "batak", home: "realm1" };
    const joined = realm.services.groups.join(james, batak);
    expect(bridge.last("gjoin")).toMatchObject({ origin: "realm2", to: "realm1", group: "batak", user: "james" });
    realm.federation.onLinkFrame(bridge, {
      t: "groster",
      id: "r1",
      origin: "realm1",
      to: "realm2",
      group: "batak",
      members: [{ user: "messi", realm: "realm1" }],
      online: [{ user: "messi", realm: "realm1" }],
      history: [],
    });
    expect(await joined).toEqual(batak);
    expect((await realm.services.groups.snapshot(batak)).members).toEqual(["messi@realm1"]);
    // Who is in it is asked of its home, and shown the same way as there.
    const who = realm.services.groups.who(batak, "james");
    expect(bridge.last("gwho")).toMatchObject({ to: "realm1", group: "batak", user: "james" });
    realm.federation.onLinkFrame(bridge, {
      t: "groster",
      id: "r2",
      origin: "realm1",
      to: "realm2",
      group: "batak",
      members: [
        { user: "messi", realm: "realm1" },
        { user: "james", realm: "realm2" },
        { user: "kai", realm: "realm3" },
      ],
      online: [
        { user: "messi", realm: "realm1" },
        { user: "james", realm: "realm2" },
      ],
      history: [],
    });
    expect(await who).toEqual({ group: batak, members: ["messi@realm1", "james", "kai@realm3"], online: ["messi@realm1", "james"] });
    await realm.services.groups.say(james, batak, "halo");
    expect(bridge.last("gsay")).toMatchObject({ to: "realm1", group: "batak", user: "james", text: "halo" });
    realm.federation.onLinkFrame(bridge, { t: "peer", realm: "realm1", up: false });
    await realm.services.groups.say(james, batak, "anyone?");
    expect(james.lines.at(-1)).toBe("* batak: not delivered: realm1 is unreachable\n");
  });
});
