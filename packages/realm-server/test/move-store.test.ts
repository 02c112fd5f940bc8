import { existsSync, statSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appendToInbox, type RealmStore } from "../src/store/realm-store.ts";
import { PgRealmStore } from "../src/store/postgres/pg-realm-store.ts";
import { SqliteRealmStore } from "../src/store/sqlite/sqlite-realm-store.ts";
import { postgresForThisFile } from "./support/embedded-postgres.ts";
import { runRealmServer } from "./support/realm-server-bin.ts";

const server = postgresForThisFile();
const HASH = "scrypt$16384$8$1$c2FsdA==$aGFzaA==";
const IDLE = 60 * 60 * 1000;
let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

const message = (id: string, to: string, text: string) => ({
  id,
  from: "messi",
  fromName: "Lionel Messi",
  to,
  toName: to,
  text,
  sentAt: 5,
});
const outboxEntry = (id: string) => ({ id, to: "realm2", from: "messi", fromName: "Lionel Messi", user: "james", text: id, sentAt: 9 });

/** Fills a realm's store with one of everything it keeps; the session token it made. */
async function fillRealm(store: RealmStore): Promise<string> {
  for (const username of ["messi", "henderson", "lineker"]) await store.users.put({ username, displayName: username, passwordHash: HASH });
  await store.users.seed({ username: "messi", displayName: "messi", passwordHash: HASH });
  const session = await store.sessions.create("henderson");
  for (const [id, to] of [
    ["m1", "henderson"],
    ["m2", "henderson"],
    ["m3", "lineker"],
  ] as const)
    await appendToInbox(store.inboxes, message(id, to, `text ${id}`));
  await store.groups.ensure("batak", "lineker");
  for (const member of ["lineker", "messi", "james@realm2"]) await store.groups.addMember("batak", member);
  for (let i = 0; i < 3; i++)
    await store.groups.appendHistory("batak", { kind: "message", user: "lineker", realm: "realm1", text: `line ${i}`, ts: 100 + i }, 50);
  await store.markers.set("messi", "#batak", 101);
  await store.outbox.add(outboxEntry("o1"));
  await store.outbox.add(outboxEntry("o2"));
  await store.outbox.awaitDelivery({ id: "o1", from: "messi", to: "james@realm2" });
  await store.relayed.accept("realm2", {
    id: "r1",
    from: "james@realm2",
    fromName: "James",
    user: "messi",
    text: "from afar",
    sentAt: 3,
  });
  return session.token;
}

/** What {@link fillRealm} put in, read back from `store` (a copy of it). */
async function expectFilled(store: RealmStore, token: string, history: unknown): Promise<void> {
  expect((await store.users.list()).map((u) => u.username).sort()).toEqual(["henderson", "lineker", "messi"]);
  expect(await store.users.seed({ username: "messi", displayName: "x", passwordHash: HASH })).toBe(false);
  expect(await store.sessions.touch(token)).toMatchObject({ username: "henderson" });
  expect((await store.inboxes.peek("henderson", 10)).map((m) => m.id)).toEqual(["m1", "m2"]);
  expect((await store.inboxes.peek("messi", 10)).map((m) => [m.from, m.text])).toEqual([["james@realm2", "from afar"]]);
  expect(await store.inboxes.sizes()).toEqual({ messages: 4, inboxes: 3, largest: 2 });
  expect(await store.groups.members("batak")).toEqual(["lineker", "messi", "james@realm2"]);
  expect(await store.groups.history("batak", 10)).toEqual(history);
  expect(await store.markers.list("messi")).toEqual([{ conversation: "#batak", ts: 101 }]);
  expect((await store.outbox.list()).map((e) => e.id)).toEqual(["o1", "o2"]);
  expect(await store.outbox.takeDelivery("o1")).toEqual({ id: "o1", from: "messi", to: "james@realm2" });
  expect(
    await store.relayed.accept("realm2", { id: "r1", from: "james@realm2", fromName: "James", user: "messi", text: "x", sentAt: 3 }),
  ).toEqual({ outcome: { status: "stored" }, fresh: false });
}

describe("realm-server move-store --to postgres://", () => {
  it("moves every user, session, inbox message, group, member, history line, marker and outbox entry, and goes on from there", async () => {
    dir = await mkdtemp(join(tmpdir(), "move-store-"));
    const data = join(dir, "data");
    const sqlite = SqliteRealmStore.open(data, { sessionIdleMs: IDLE, open: "create" });
    const token = await fillRealm(sqlite);
    const historyBefore = await sqlite.groups.history("batak", 10);
    await sqlite.close();

    const url = await server.createDatabase("moved");
    const moved = await runRealmServer(["move-store", "-d", data, "--to", url]);
    expect(moved.stderr).toBe("");
    expect(moved.stdout).toBe(
      `moved ${data} to PostgreSQL: users 3, seeded_users 1, sessions 1, inbox 4, groups 1, group_members 3, group_history 3, ` +
        "relayed 1, outbox 2, awaited_delivery 1, read_markers 1\n",
    );

    const pg = await PgRealmStore.open(url, { sessionIdleMs: IDLE });
    try {
      await expectFilled(pg, token, historyBefore);
      // New rows go after the moved ones: the sequences went on.
      await appendToInbox(pg.inboxes, message("m4", "henderson", "after the move"));
      expect((await pg.inboxes.peek("henderson", 10)).map((m) => m.id)).toEqual(["m1", "m2", "m4"]);
      await pg.outbox.add(outboxEntry("o3"));
      expect((await pg.outbox.list()).map((e) => e.id)).toEqual(["o1", "o2", "o3"]);
    } finally {
      await pg.close();
    }

    // A database that holds a realm already is refused, and left as it was.
    const again = await runRealmServer(["move-store", "-d", data, "--to", url]);
    expect(again).toMatchObject({ code: 1, stderr: "realm-server: the target database is not empty: its users table has 3 rows\n" });
  }, 60_000);
});

describe("realm-server backup --store postgres://", () => {
  it("copies a running realm's PostgreSQL data into an SQLite file that runs as a realm, and moves back into PostgreSQL", async () => {
    dir = await mkdtemp(join(tmpdir(), "pg-backup-"));
    const url = await server.createDatabase("live");
    const file = join(dir, "realm-backup.db");
    // Open, as an instance of the realm would hold it, while the backup is taken.
    const live = await PgRealmStore.open(url, { sessionIdleMs: IDLE });
    let token: string;
    let history: unknown;
    try {
      token = await fillRealm(live);
      history = await live.groups.history("batak", 10);
      const backup = await runRealmServer(["backup", "--store", url, file]);
      expect(backup).toMatchObject({ code: 0, stderr: "" });
      expect(backup.stdout).toBe(
        `backed up the realm in PostgreSQL to ${file}: users 3, seeded_users 1, sessions 1, inbox 4, groups 1, group_members 3, ` +
          "group_history 3, relayed 1, outbox 2, awaited_delivery 1, read_markers 1\n",
      );
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(await runRealmServer(["backup", "--store", url, file])).toMatchObject({
        code: 1,
        stderr: expect.stringContaining("the backup file already exists") as unknown,
      });
    } finally {
      await live.close();
    }

    // As a realm on SQLite: the file is its realm.db.
    const restored = join(dir, "restored");
    await mkdir(restored, { mode: 0o700 });
    await copyFile(file, join(restored, "realm.db"));
    const sqlite = SqliteRealmStore.open(restored, { sessionIdleMs: IDLE, open: "existing" });
    try {
      await expectFilled(sqlite, token, history);
    } finally {
      await sqlite.close();
    }

    // Back into an empty PostgreSQL database.
    const again = join(dir, "again");
    await mkdir(again, { mode: 0o700 });
    await copyFile(file, join(again, "realm.db"));
    const target = await server.createDatabase("restored");
    expect((await runRealmServer(["move-store", "-d", again, "--to", target])).code).toBe(0);
    const pg = await PgRealmStore.open(target, { sessionIdleMs: IDLE });
    try {
      await expectFilled(pg, token, history);
    } finally {
      await pg.close();
    }
  }, 60_000);

  it("refuses a database that holds no realm, and leaves no file behind", async () => {
    dir = await mkdtemp(join(tmpdir(), "pg-backup-"));
    const url = await server.createDatabase("empty");
    const file = join(dir, "nothing.db");
    expect(await runRealmServer(["backup", "--store", url, file])).toMatchObject({
      code: 1,
      stderr: "realm-server: this database holds no realm (it has no schema_version table)\n",
    });
    expect(existsSync(file)).toBe(false);
    expect(await runRealmServer(["backup", file])).toMatchObject({ code: 1, stderr: expect.stringContaining("either -d") as unknown });
  }, 60_000);
});
