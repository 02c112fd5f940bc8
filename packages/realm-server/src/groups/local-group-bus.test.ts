import { describe, expect, it } from "vitest";
import { RecordingMember } from "../../test/service-realm.ts";
import type { GroupEventRelay } from "./group-bus.ts";
import type { GroupEventFact } from "./group-event.ts";
import { temporarySqliteStore } from "../../test/support/temporary-store.ts";
import type { GroupStore } from "../store/realm-store.ts";
import { LocalGroupBus } from "./local-group-bus.ts";

const store = (): GroupStore => temporarySqliteStore().groups;

class RecordingRelay implements GroupEventRelay {
  readonly sent: Array<[string, string, GroupEventFact]> = [];
  relayGroupEvent(toRealm: string, group: string, event: GroupEventFact): void {
    this.sent.push([toRealm, group, event]);
  }
}

describe("LocalGroupBus", () => {
  it("sends each event once per remote realm, not once per remote member", () => {
    const relay = new RecordingRelay();
    const hub = new LocalGroupBus("realm1", relay, store());
    const messi = new RecordingMember("messi");
    hub.join("batak", messi);
    hub.joinRemote("batak", "realm2", "james");
    hub.joinRemote("batak", "realm2", "taeno");
    hub.joinRemote("batak", "realm3", "kai");
    relay.sent.length = 0;
    hub.say("batak", messi, "halo");
    expect(relay.sent.map(([realm]) => realm).sort()).toEqual(["realm2", "realm3"]);
    expect(messi.lines.at(-1)).toBe("messi: halo\n");
  });

  it("renders members of other realms as user@realm and its own as bare names", () => {
    const hub = new LocalGroupBus("realm1", new RecordingRelay(), store());
    const messi = new RecordingMember("messi");
    hub.join("g", messi);
    hub.sayRemote("g", "realm2", "james", "not a member yet");
    hub.joinRemote("g", "realm2", "james");
    hub.sayRemote("g", "realm2", "james", "hi");
    expect(messi.lines).toEqual(["messi joined\n", "james@realm2 joined\n", "james@realm2: hi\n"]);
    expect(hub.members("g")).toEqual(["messi", "james@realm2"]);
  });

  it("a realm that drops leaves no ghosts, and the others are told", () => {
    const relay = new RecordingRelay();
    const hub = new LocalGroupBus("realm1", relay, store());
    const messi = new RecordingMember("messi");
    hub.join("g", messi);
    hub.joinRemote("g", "realm2", "james");
    hub.joinRemote("g", "realm3", "kai");
    relay.sent.length = 0;
    hub.dropRealm("realm2");
    expect(hub.members("g")).toEqual(["messi", "kai@realm3"]);
    expect(messi.lines.at(-1)).toBe("james@realm2 left\n");
    expect(relay.sent).toEqual([["realm3", "g", { kind: "left", user: "james", realm: "realm2", eid: expect.any(String) }]]);
  });

  it("a rejoin of a member already present is not announced twice", () => {
    const hub = new LocalGroupBus("realm1", new RecordingRelay(), store());
    const messi = new RecordingMember("messi");
    hub.join("g", messi);
    hub.joinRemote("g", "realm2", "james");
    hub.joinRemote("g", "realm2", "james");
    expect(messi.lines.filter((l) => l === "james@realm2 joined\n")).toHaveLength(1);
  });

  it("keeps the last N events of each group as its history, in the store", async () => {
    const groups = store();
    const hub = new LocalGroupBus("realm1", new RecordingRelay(), groups, 3);
    const messi = new RecordingMember("messi");
    await hub.join("g", messi);
    for (const text of ["a", "b", "c"]) await hub.say("g", messi, text);
    expect((await hub.history({ name: "g", home: "realm1" })).map((h) => h.event.text ?? h.event.kind)).toEqual(["a", "b", "c"]);
    await hub.say("g", messi, "d");
    expect((await hub.history({ name: "g", home: "realm1" })).map((h) => h.event.text)).toEqual(["b", "c", "d"]);
    // A new bus on the same store (a restart) shows the same history.
    const again = new LocalGroupBus("realm1", new RecordingRelay(), groups, 3);
    expect((await again.history({ name: "g", home: "realm1" })).map((h) => h.event.text)).toEqual(["b", "c", "d"]);
    expect(await hub.history({ name: "other", home: "realm1" })).toEqual([]);
  });

  it("a group merged away leaves the bus silently, naming its local members and the realms of the others", () => {
    const relay = new RecordingRelay();
    const hub = new LocalGroupBus("realm2", relay, store());
    const james = new RecordingMember("james");
    void hub.join("g", james);
    void hub.joinRemote("g", "realm3", "kai");
    relay.sent.length = 0;
    const evicted = hub.evictHome("g");
    expect(evicted.local).toEqual([james]);
    expect(evicted.realms).toEqual(["realm3"]);
    expect(relay.sent).toEqual([]);
    expect(hub.members("g")).toEqual([]);
  });

  it("mirrors deliver the home realm's events to local members only of that group", () => {
    const hub = new LocalGroupBus("realm2", new RecordingRelay(), store());
    const james = new RecordingMember("james");
    const taeno = new RecordingMember("taeno");
    hub.joinMirror({ name: "batak", home: "realm1" }, james);
    hub.joinMirror({ name: "other", home: "realm1" }, taeno);
    hub.deliverFromHome({ name: "batak", home: "realm1" }, { kind: "message", user: "messi", realm: "realm1", text: "halo" });
    hub.deliverFromHome({ name: "batak", home: "realm1" }, { kind: "joined", user: "james", realm: "realm2" });
    expect(james.lines).toEqual(["messi@realm1: halo\n", "james joined\n"]);
    expect(taeno.lines).toEqual([]);
    expect(hub.mirrorMembers("realm1").map(([g, m]) => `${g}:${m.username}`)).toEqual(["batak:james", "other:taeno"]);
    expect(hub.evictMirror({ name: "batak", home: "realm1" })).toEqual([james]);
    expect(hub.mirrors()).toEqual([{ name: "other", home: "realm1" }]);
  });

  it("a mirror keeps its home's roster: everyone who joined, and who is in it now", () => {
    const hub = new LocalGroupBus("realm2", new RecordingRelay(), store());
    const batak = { name: "batak", home: "realm1" };
    hub.joinMirror(batak, new RecordingMember("james"));
    hub.setMirrorSnapshot(
      batak,
      [
        { user: "messi", realm: "realm1" },
        { user: "james", realm: "realm2" },
      ],
      [{ user: "messi", realm: "realm1" }],
      [],
    );
    hub.deliverFromHome(batak, { kind: "joined", user: "james", realm: "realm2" });
    hub.deliverFromHome(batak, { kind: "left", user: "messi", realm: "realm1" });
    expect(hub.mirrorRoster(batak)).toEqual({ members: ["messi@realm1", "james"], online: ["james"] });
  });

  it("a member realm back in a group after its home was away hands its members what they missed, once", () => {
    const hub = new LocalGroupBus("realm2", new RecordingRelay(), store());
    const batak = { name: "batak", home: "realm1" };
    const james = new RecordingMember("james");
    hub.joinMirror(batak, james);
    const said = (text: string, ts: number, eid: string) => ({ kind: "message" as const, user: "messi", realm: "realm1", text, ts, eid });
    // The first join's history is the join's answer: nothing is handed on.
    hub.setMirrorSnapshot(batak, [], [], [said("old", 10, "e1")]);
    hub.deliverFromHome(batak, { kind: "message", user: "messi", realm: "realm1", text: "live", eid: "e2" }, 20);
    // Back in: the home announces the rejoin before its roster comes, with the lines in between.
    hub.deliverFromHome(batak, { kind: "joined", user: "james", realm: "realm2", eid: "e5" }, 40);
    // The home was unreachable; on rejoining, its history holds two lines this realm never got.
    const joined = { kind: "joined" as const, user: "james", realm: "realm2", ts: 40, eid: "e5" };
    const missed = [said("missed 1", 30, "e3"), said("missed 2", 31, "e4")];
    hub.setMirrorSnapshot(batak, [], [], [said("old", 10, "e1"), said("live", 20, "e2"), ...missed, joined]);
    hub.setMirrorSnapshot(batak, [], [], [said("live", 20, "e2"), ...missed, joined]);
    expect(james.lines).toEqual(["messi@realm1: live\n", "james joined\n", "messi@realm1: missed 1\n", "messi@realm1: missed 2\n"]);
  });
});
