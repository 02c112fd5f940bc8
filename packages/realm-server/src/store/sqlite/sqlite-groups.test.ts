import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteRealmStore } from "./sqlite-realm-store.ts";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const open = (path: string): SqliteRealmStore => SqliteRealmStore.open(path, { sessionIdleMs: 60_000, open: "create" });

describe("SQLite groups", () => {
  it("keeps members, the newest history and merge records across a reopen", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-groups-"));
    const first = open(dir);
    await first.groups.ensure("g", "messi");
    await first.groups.addMember("g", "messi");
    await first.groups.addMember("g", "james@realm2");
    for (let i = 0; i < 5; i++)
      await first.groups.appendHistory("g", { kind: "message", user: "messi", realm: "realm1", text: `m${i}`, ts: 100 + i }, 3);
    expect((await first.groups.history("g", 10)).map((e) => e.text)).toEqual(["m2", "m3", "m4"]);
    await first.groups.ensure("lost", "messi");
    await first.groups.addMember("lost", "messi");
    await first.groups.markMerged("lost", "realm2");
    await first.close();

    const second = open(dir);
    expect(await second.groups.members("g")).toEqual(["messi", "james@realm2"]);
    expect((await second.groups.history("g", 2)).map((e) => e.text)).toEqual(["m3", "m4"]);
    expect((await second.groups.list()).map((g) => g.name)).toEqual(["g"]);
    expect(await second.groups.get("lost")).toMatchObject({ mergedInto: "realm2", mergePending: true });
    expect((await second.groups.pendingMerges()).map((g) => g.name)).toEqual(["lost"]);
    await second.groups.mergeConfirmed("lost");
    expect(await second.groups.members("lost")).toEqual([]);
    expect(await second.groups.pendingMerges()).toEqual([]);
    expect(await second.groups.get("lost")).toMatchObject({ mergedInto: "realm2", mergePending: false });
    await second.close();
  });

  it("takes in a merged group's history by time, once however often it is offered", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-groups-"));
    const store = open(dir);
    await store.groups.ensure("g", "messi");
    await store.groups.appendHistory("g", { kind: "joined", user: "messi", realm: "realm1", ts: 20 }, 50);
    const theirs = [
      { kind: "joined" as const, user: "james", realm: "realm2", ts: 10 },
      { kind: "message" as const, user: "james", realm: "realm2", text: "hi", ts: 30 },
    ];
    await store.groups.absorb("g", ["james@realm2"], theirs, 50);
    await store.groups.absorb("g", ["james@realm2"], theirs, 50);
    expect((await store.groups.history("g", 50)).map((e) => `${e.ts} ${e.user} ${e.kind}`)).toEqual([
      "10 james joined",
      "20 messi joined",
      "30 james message",
    ]);
    expect(await store.groups.members("g")).toEqual(["james@realm2"]);
    await store.close();
  });
});
