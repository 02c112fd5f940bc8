import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { appendToInbox } from "../src/store/realm-store.ts";
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

describe("realm-server move-store --to postgres://", () => {
  it("moves every user, session, inbox message, group, member, history line, marker and outbox entry, and goes on from there", async () => {
    dir = await mkdtemp(join(tmpdir(), "move-store-"));
    const data = join(dir, "data");
    const sqlite = SqliteRealmStore.open(data, { sessionIdleMs: IDLE, open: "create" });
    for (const username of ["messi", "henderson", "lineker"])
      await sqlite.users.put({ username, displayName: username, passwordHash: HASH });
    await sqlite.users.seed({ username: "messi", displayName: "messi", passwordHash: HASH });
    const session = await sqlite.sessions.create("henderson");
    for (const [id, to] of [
      ["m1", "henderson"],
      ["m2", "henderson"],
      ["m3", "lineker"],
    ] as const)
      await appendToInbox(sqlite.inboxes, message(id, to, `text ${id}`));
    await sqlite.groups.ensure("batak", "lineker");
    for (const member of ["lineker", "messi", "james@realm2"]) await sqlite.groups.addMember("batak", member);
    for (let i = 0; i < 3; i++)
      await sqlite.groups.appendHistory("batak", { kind: "message", user: "lineker", realm: "realm1", text: `line ${i}`, ts: 100 + i }, 50);
    await sqlite.markers.set("messi", "#batak", 101);
    await sqlite.outbox.add(outboxEntry("o1"));
    await sqlite.outbox.add(outboxEntry("o2"));
    await sqlite.outbox.awaitDelivery({ id: "o1", from: "messi", to: "james@realm2" });
    await sqlite.relayed.accept("realm2", {
      id: "r1",
      from: "james@realm2",
      fromName: "James",
      user: "messi",
      text: "from afar",
      sentAt: 3,
    });
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
      expect((await pg.users.list()).map((u) => u.username).sort()).toEqual(["henderson", "lineker", "messi"]);
      expect(await pg.users.seed({ username: "messi", displayName: "x", passwordHash: HASH })).toBe(false);
      expect(await pg.sessions.touch(session.token)).toMatchObject({ username: "henderson" });
      expect((await pg.inboxes.peek("henderson", 10)).map((m) => m.id)).toEqual(["m1", "m2"]);
      expect((await pg.inboxes.peek("messi", 10)).map((m) => [m.from, m.text])).toEqual([["james@realm2", "from afar"]]);
      expect(await pg.inboxes.sizes()).toEqual({ messages: 4, inboxes: 3, largest: 2 });
      expect(await pg.groups.members("batak")).toEqual(["lineker", "messi", "james@realm2"]);
      expect(await pg.groups.history("batak", 10)).toEqual(historyBefore);
      expect(await pg.markers.list("messi")).toEqual([{ conversation: "#batak", ts: 101 }]);
      expect((await pg.outbox.list()).map((e) => e.id)).toEqual(["o1", "o2"]);
      expect(await pg.outbox.takeDelivery("o1")).toEqual({ id: "o1", from: "messi", to: "james@realm2" });
      expect(
        await pg.relayed.accept("realm2", { id: "r1", from: "james@realm2", fromName: "James", user: "messi", text: "x", sentAt: 3 }),
      ).toEqual({ outcome: { status: "stored" }, fresh: false });
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
