import { describe, expect, it } from "vitest";
import { RecordingMember, serviceRealm } from "../../test/service-realm.ts";

describe("GroupService", () => {
  it("creates an unknown name here, records the membership, and tells the bridge's peers", async () => {
    const { realm, store, bridge } = await serviceRealm();
    realm.federation.onLinkReady(bridge);
    const group = await realm.services.groups.resolve("messi", "batak", undefined);
    expect(group).toEqual({ name: "batak", home: "realm1" });
    expect(await store.groups.members("batak")).toEqual(["messi"]);
    await new Promise((r) => setImmediate(r));
    expect(bridge.last("directory")?.groups).toEqual(["batak"]);
  });

  it("means the one peer's group by a name found there, and refuses what cannot be joined", async () => {
    const { realm, port } = await serviceRealm();
    const { groups } = realm.services;
    realm.federation.directory.set("realm2", [], ["jazz", "both"]);
    realm.federation.directory.set("realm3", [], ["both"]);
    await expect(groups.resolve("messi", "jazz", undefined)).rejects.toMatchObject({ code: "REALM_UNREACHABLE" });
    port.setPeerUp("realm2", true);
    expect(await groups.resolve("messi", "jazz", undefined)).toEqual({ name: "jazz", home: "realm2" });
    await expect(groups.resolve("messi", "both", undefined)).rejects.toMatchObject({
      code: "AMBIGUOUS_GROUP",
      message: "group 'both' exists on several realms: use one of both@realm2, both@realm3",
    });
    await expect(groups.resolve("messi", "nothing", "realm3")).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message: "no group 'nothing' on realm 'realm3'" });
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
    expect(await groups.who(g)).toEqual({ members: ["messi", "henderson"], online: ["messi", "henderson"] });
    // A member on another realm is listed among the members too, not only counted online.
    realm.federation.onLinkFrame(bridge, { t: "gjoin", id: "j1", origin: "realm2", to: "realm1", group: "g", user: "james" });
    await new Promise((r) => setImmediate(r));
    expect(await groups.who(g)).toEqual({ members: ["messi", "henderson", "james@realm2"], online: ["messi", "henderson", "james@realm2"] });
    groups.leave(henderson, g);
    expect(await groups.who(g)).toEqual({ members: ["messi", "henderson", "james@realm2"], online: ["messi", "james@realm2"] });
    await groups.forget(g, "henderson");
    expect(await store.groups.members("g")).toEqual(["messi"]);
    expect(groups.snapshot(g).history.map((h) => `${h.member} ${h.kind}`)).toEqual(["messi joined", "henderson joined", "henderson message", "james@realm2 joined", "henderson left"]);
  });

  it("sends joins and messages of a remote group to its home, and says so when the home is unreachable", async () => {
    const { realm, port, bridge } = await serviceRealm("realm2", ["james"]);
    realm.federation.onLinkReady(bridge);
    port.setPeerUp("realm1", true);
    const james = new RecordingMember("james");
    const batak = { name: "batak", home: "realm1" };
    const joined = realm.services.groups.join(james, batak);
    expect(bridge.last("gjoin")).toMatchObject({ origin: "realm2", to: "realm1", group: "batak", user: "james" });
    realm.federation.onLinkFrame(bridge, { t: "groster", id: "r1", origin: "realm1", to: "realm2", group: "batak", members: [{ user: "messi", realm: "realm1" }], history: [] });
    await joined;
    expect(realm.services.groups.snapshot(batak).members).toEqual(["messi@realm1"]);
    await realm.services.groups.say(james, batak, "halo");
    expect(bridge.last("gsay")).toMatchObject({ to: "realm1", group: "batak", user: "james", text: "halo" });
    realm.federation.onLinkFrame(bridge, { t: "peer", realm: "realm1", up: false });
    await realm.services.groups.say(james, batak, "anyone?");
    expect(james.lines.at(-1)).toBe("* batak: not delivered: realm1 is unreachable\n");
  });
});
