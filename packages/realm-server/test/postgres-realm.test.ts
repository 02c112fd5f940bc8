import pg from "pg";
import { describe, expect, it } from "vitest";
import { applyPgMigrations } from "../src/store/postgres/pg-migrations.ts";
import { PgRealmStore } from "../src/store/postgres/pg-realm-store.ts";
import { PG_REALM_MIGRATIONS } from "../src/store/postgres/pg-schema.ts";
import { appendToInbox } from "../src/store/realm-store.ts";
import { startRealmServer, type RealmConfig } from "../src/index.ts";
import { postgresForThisFile, realmOneWith } from "./support/embedded-postgres.ts";
import { LiveWire } from "./live-client.ts";
import { eventually } from "./support/eventually.ts";
import { WireClient } from "./wire-client.ts";

const server = postgresForThisFile();

const config = (): Promise<RealmConfig> => realmOneWith(["messi", "henderson"]);

describe("a realm on PostgreSQL (--store postgres://…)", () => {
  it("serves classic clients, keeps everything across a restart, and two servers on one database share sessions and inboxes", async () => {
    const storeUrl = await server.createDatabase("realm1");
    const cfg = await config();
    const first = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const a = await WireClient.connect(first.listener.port);
    const messi = await a.auth("messi", "surabaya");
    for (let i = 0; i < 3; i++) expect(await a.request(`send ${messi} henderson kept ${i}\r\n`)).toMatchObject({ status: "OK" });
    a.close();
    await first.close();

    const second = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const other = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const b = await WireClient.connect(second.listener.port);
    const c = await WireClient.connect(other.listener.port);
    // A token from before the restart works, on either server.
    expect(await c.request(`send ${messi} henderson from the other server\r\n`)).toMatchObject({ status: "OK" });
    const henderson = await b.auth("henderson", "surabaya");
    const inbox = await c.request(`inbox ${henderson}\r\n`);
    expect((inbox.messages as Record<string, Array<{ msg: string }>>).messi?.map((m) => m.msg)).toEqual([
      "kept 0",
      "kept 1",
      "kept 2",
      "from the other server",
    ]);
    b.close();
    c.close();
    await second.close();
    await other.close();
  }, 60_000);

  it("two servers on one database: a live user on one gets pushed what is sent to them through the other", async () => {
    const storeUrl = await server.createDatabase("realm_live");
    const cfg = await config();
    const one = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const two = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const henderson = await LiveWire.connect(two.listener.port);
    await henderson.ok("auth", { user: "henderson", password: "surabaya" });
    const a = await WireClient.connect(one.listener.port);
    const messi = await a.auth("messi", "surabaya");
    expect(await a.request(`send ${messi} henderson across instances\r\n`)).toMatchObject({ status: "OK" });
    const pushed = await henderson.event((e) => e.ev === "message");
    expect(pushed).toMatchObject({ ev: "message", from: "messi", text: "across instances" });
    a.close();
    henderson.close();
    await one.close();
    await two.close();
  }, 60_000);

  it("two servers on one database: a user deleted through one is refused on the other once the cluster log reaches it", async () => {
    const storeUrl = await server.createDatabase("realm_revoke");
    const cfg = await config();
    const one = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const two = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const henderson = await LiveWire.connect(one.listener.port);
    await henderson.ok("auth", { user: "henderson", password: "surabaya" });
    await henderson.ok("send", { to: "messi", text: "still here" });
    expect(await two.admin.serve({ op: "user-del", user: "henderson" })).toMatchObject({ ok: true });
    // Sessions and users are cached in each instance, forgotten as the other's event arrives (a notification, a poll at worst).
    await eventually(async () =>
      expect(await henderson.request("send", { to: "messi", text: "gone?" })).toMatchObject({ ok: false, code: "SESSION_NOT_FOUND" }),
    );
    henderson.close();
    await one.close();
    await two.close();
  }, 60_000);

  it("two servers on one database: a classic token logged out through one is refused by the other", async () => {
    const storeUrl = await server.createDatabase("realm_logout");
    const cfg = await config();
    const one = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const two = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, storeUrl });
    const a = await WireClient.connect(one.listener.port);
    const b = await WireClient.connect(two.listener.port);
    const token = await a.auth("messi", "surabaya");
    // Served by both: the other instance now holds the session in memory.
    expect(await b.request(`send ${token} henderson from two\r\n`)).toMatchObject({ status: "OK" });
    expect(await a.request(`logout ${token}\r\n`)).toMatchObject({ status: "OK" });
    await eventually(async () => expect(await b.request(`send ${token} henderson after\r\n`)).toMatchObject({ status: "ERROR" }));
    a.close();
    b.close();
    await one.close();
    await two.close();
  }, 60_000);

  it("an event whose notification is lost still arrives, by the next read from the last position", async () => {
    const storeUrl = await server.createDatabase("realm_events");
    const store = await PgRealmStore.open(storeUrl, { sessionIdleMs: 60_000 });
    const heard: string[] = [];
    await store.cluster.subscribe(
      0,
      (row) => heard.push(row.event.t === "push" ? `${row.event.username}:${row.event.event.ev}` : row.event.t),
      () => undefined,
    );
    await store.cluster.publish("other", { t: "push", username: "messi", event: { ev: "notice", text: "notified" } });
    // Written behind the listener's back: no NOTIFY comes for it.
    const raw = new pg.Client({ connectionString: storeUrl });
    await raw.connect();
    const silent = { t: "push", username: "kai", event: { ev: "notice", text: "silent" } };
    await raw.query("INSERT INTO cluster_events (instance, body, at) VALUES ('other', $1, $2)", [JSON.stringify(silent), Date.now()]);
    await raw.end();
    for (let i = 0; i < 60 && heard.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual(["messi:notice", "kai:notice"]);
    await store.close();
  }, 30_000);

  it("goes on when the server drops its idle connections (a restart, an administrator): nothing ends the process", async () => {
    const url = await server.createDatabase("realm_dropped");
    const store = await PgRealmStore.open(url, { sessionIdleMs: 60_000 });
    await store.users.put({ username: "messi", displayName: "Lionel Messi", passwordHash: "x" });
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'realm_dropped' AND pid <> pg_backend_pid()");
    await admin.end();
    // The pool noticed (its 'error' event, heard) and opens new connections for what comes next.
    await eventually(async () => expect(await store.users.get("messi")).toMatchObject({ displayName: "Lionel Messi" }));
    await store.close();
  }, 30_000);

  it("operations asked for in one turn run as one query per kind and answer as one at a time would", async () => {
    const store = await PgRealmStore.open(await server.createDatabase("realm_batches"), { sessionIdleMs: 60_000 });
    const names = Array.from({ length: 30 }, (_, i) => `u${i}`);
    await Promise.all(names.map((username) => store.users.put({ username, displayName: username.toUpperCase(), passwordHash: "x" })));
    // All in one turn: the queue runs each kind as one query (PgOp.many).
    const [users, sessions] = await Promise.all([
      Promise.all([...names, "nobody"].map((n) => store.users.get(n))),
      Promise.all(names.map((n) => store.sessions.create(n))),
    ]);
    expect(users.map((u) => u?.displayName)).toEqual([...names.map((n) => n.toUpperCase()), undefined]);
    const touched = await Promise.all([...sessions.map((x) => store.sessions.touch(x.token)), store.sessions.touch("not-a-token")]);
    expect(touched.map((t) => t?.username)).toEqual([...names, undefined]);
    const message = (to: string, i: number) => ({ id: `m${i}`, from: "u0", fromName: "U0", to, toName: to, text: `t${i}`, sentAt: i });
    await Promise.all(Array.from({ length: 60 }, (_, i) => appendToInbox(store.inboxes, message(names[i % 3] as string, i))));
    expect(await Promise.all(["u0", "u1", "u2", "u3"].map((n) => store.inboxes.count(n)))).toEqual([20, 20, 20, 0]);
    // Inserted in the order asked.
    expect((await store.inboxes.peek("u1", 100)).map((m) => m.text)).toEqual(Array.from({ length: 20 }, (_, k) => `t${3 * k + 1}`));
    // Acknowledgements of one turn, in one statement: two of one recipient remove together what each would alone.
    const acks = await Promise.all([
      store.inboxes.ackUpTo("u0", "m9"),
      store.inboxes.ackUpTo("u1", "m4"),
      store.inboxes.ackUpTo("u0", "m3"),
      store.inboxes.ackUpTo("u2", "not-there"),
    ]);
    expect([acks[0] + acks[2], acks[1], acks[3]]).toEqual([4, 2, 0]);
    expect((await store.inboxes.peek("u0", 1)).map((m) => m.id)).toEqual(["m12"]);
    expect((await store.inboxes.peek("u1", 1)).map((m) => m.id)).toEqual(["m7"]);
    expect(await Promise.all(["u0", "u1", "u2"].map((n) => store.inboxes.count(n)))).toEqual([16, 18, 20]);
    await store.close();
  }, 30_000);

  it("an upgrade keeps the tables as they were in a schema named with the old version, once", async () => {
    const url = await server.createDatabase("older");
    const old = new pg.Pool({ connectionString: url });
    try {
      expect(await applyPgMigrations(old, PG_REALM_MIGRATIONS.slice(0, 2))).toEqual({ from: 0, to: 2 });
      await old.query("INSERT INTO users (username, display_name, password_hash) VALUES ('messi', 'Lionel Messi', 'h')");
    } finally {
      await old.end();
    }
    const backups = async (): Promise<string[]> => {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        const { rows } = await db.query("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'realm_backup_%' ORDER BY nspname");
        return (rows as { nspname: string }[]).map((r) => r.nspname);
      } finally {
        await db.end();
      }
    };

    const store = await PgRealmStore.open(url, { sessionIdleMs: 60_000 });
    try {
      expect(await store.users.get("messi")).toMatchObject({ displayName: "Lionel Messi" });
    } finally {
      await store.close();
    }
    const [schema, ...more] = await backups();
    expect(schema).toMatch(/^realm_backup_v2_\d{8}t\d{6}$/);
    expect(more).toEqual([]);
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      expect((await db.query(`SELECT username FROM ${schema}.users`)).rows).toEqual([{ username: "messi" }]);
      expect((await db.query(`SELECT version FROM ${schema}.schema_version`)).rows).toEqual([{ version: 2 }]);
      expect((await db.query("SELECT version FROM schema_version")).rows).toEqual([{ version: PG_REALM_MIGRATIONS.length }]);
    } finally {
      await db.end();
    }
    // A start on the newest schema copies nothing.
    await (await PgRealmStore.open(url, { sessionIdleMs: 60_000 })).close();
    expect(await backups()).toEqual([schema]);
  }, 60_000);
});
