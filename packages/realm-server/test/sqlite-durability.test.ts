import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { applyMigrations } from "@realmchat/node-runtime";
import { afterEach, describe, expect, it } from "vitest";
import { backupRealmDatabase, hashPassword, REALM_MIGRATIONS, SqliteRealmStore, startRealmServer, type RealmConfig } from "../src/index.ts";
import { appendToInbox } from "../src/store/realm-store.ts";
import { LiveWire } from "./live-client.ts";
import { WireClient } from "./wire-client.ts";

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function config(): Promise<RealmConfig> {
  const passwordHash = await hashPassword("surabaya");
  return {
    realm: "realm1",
    host: undefined,
    port: undefined,
    users: ["messi", "henderson"].map((username) => ({ username, displayName: username.toUpperCase(), passwordHash })),
  };
}

describe("the SQLite realm store", () => {
  it("a restarted realm still has its inboxes, groups and sessions; old tokens keep working", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-sqlite-"));
    const cfg = await config();
    const first = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, dataDir: dir });
    const c = await WireClient.connect(first.listener.port);
    const tm = await c.auth("messi", "surabaya");
    const th = await c.auth("henderson", "surabaya");
    for (let i = 0; i < 5; i++) expect(await c.request(`send ${tm} henderson kept ${i}\r\n`)).toMatchObject({ status: "OK" });
    c.write(`group ${tm} batak\r\n`);
    expect(await c.line()).toBe("messi joined");
    c.close();
    await first.close();

    const second = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, dataDir: dir });
    const d = await WireClient.connect(second.listener.port);
    const inbox = await d.request(`inbox ${th}\r\n`);
    expect((inbox.messages as Record<string, Array<{ msg: string }>>).messi?.map((m) => m.msg)).toEqual(
      [0, 1, 2, 3, 4].map((i) => `kept ${i}`),
    );
    expect(await second.store.groups.get("batak")).toMatchObject({ createdBy: "messi" });
    expect(await second.store.groups.members("batak")).toEqual(["messi"]);
    expect(await d.request(`logout ${tm}\r\n`)).toMatchObject({ status: "OK" });
    d.close();
    await second.close();

    // Tokens are stored hashed, never as themselves.
    const db = new DatabaseSync(join(dir, "realm.db"));
    const rows = db
      .prepare("SELECT token_hash FROM sessions")
      .all()
      .map((r) => String(r.token_hash));
    db.close();
    expect(rows).toHaveLength(1);
    expect(rows[0]).not.toBe(th);
    expect(rows[0]).toMatch(/^[0-9a-f]{64}$/);
  }, 30_000);

  it("opens and upgrades a database written by the first schema version", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-sqlite-"));
    const old = new DatabaseSync(join(dir, "realm.db"));
    applyMigrations(old, REALM_MIGRATIONS, 1);
    old.exec(`INSERT INTO users VALUES ('messi', 'Lionel Messi', 'scrypt$16384$8$1$c2FsdA==$a2V5');
              INSERT INTO inbox (recipient, id, sender, sender_name, recipient_name, body, sent_at)
              VALUES ('messi', 'm1', 'henderson', 'Jordan Henderson', 'Lionel Messi', 'from v1', 1);`);
    old.close();
    const store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    expect(await store.users.get("messi")).toMatchObject({ displayName: "Lionel Messi" });
    expect((await store.inboxes.peek("messi", 100)).map((m) => m.text)).toEqual(["from v1"]);
    expect(await store.outbox.list()).toEqual([]);
    // The inbox's places are the realm's own now (v7): a new message goes after the old ones, and an ack by id still takes both.
    await appendToInbox(store.inboxes, {
      id: "m2",
      from: "henderson",
      fromName: "Jordan Henderson",
      to: "messi",
      toName: "Lionel Messi",
      text: "after the upgrade",
      sentAt: 2,
    });
    expect((await store.inboxes.peek("messi", 100)).map((m) => m.text)).toEqual(["from v1", "after the upgrade"]);
    expect(await store.inboxes.ackUpTo("messi", "m2")).toBe(2);
    await store.close();
    const check = new DatabaseSync(join(dir, "realm.db"));
    expect(check.prepare("PRAGMA user_version").get()).toEqual({ user_version: REALM_MIGRATIONS.length });
    check.close();
  });

  it("the relay ledger stores a relayed message once, across restarts, and remembers refusals", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-sqlite-"));
    const cfg = await config();
    let store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    for (const u of cfg.users) await store.users.put(u);
    const message = { id: "r-1", from: "james@realm2", fromName: "James", user: "messi", text: "once", sentAt: 1 };
    expect((await store.relayed.accept("realm2", message)).outcome).toEqual({ status: "stored" });
    const [again, sameTurn] = await Promise.all([store.relayed.accept("realm2", message), store.relayed.accept("realm2", message)]);
    expect([again, sameTurn]).toEqual([
      { outcome: { status: "stored" }, fresh: false },
      { outcome: { status: "stored" }, fresh: false },
    ]);
    expect((await store.relayed.accept("realm2", { ...message, id: "r-2", user: "ghost" })).outcome).toMatchObject({
      status: "rejected",
      code: "USER_NOT_FOUND",
    });
    await store.close();
    store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    expect((await store.relayed.accept("realm2", message)).outcome).toEqual({ status: "stored" });
    expect((await store.relayed.accept("realm2", { ...message, id: "r-2", user: "ghost" })).outcome).toMatchObject({ status: "rejected" });
    // The same id from another realm is another message.
    expect(await store.relayed.accept("realm3", message)).toEqual({ outcome: { status: "stored" }, fresh: true });
    expect((await store.inboxes.peek("messi", 100)).map((m) => m.from)).toEqual(["james@realm2", "james@realm2"]);
    await store.close();
  });

  it("backup writes a consistent copy while the realm runs", async () => {
    const root = await mkdtemp(join(tmpdir(), "realm-sqlite-"));
    dir = root;
    const server = await startRealmServer({ config: await config(), host: "127.0.0.1", port: 0, dataDir: join(root, "live") });
    const c = await WireClient.connect(server.listener.port);
    const t = await c.auth("messi", "surabaya");
    await c.request(`send ${t} henderson in the backup\r\n`);
    const copyPath = join(root, "backup.db");
    backupRealmDatabase(join(root, "live"), copyPath);
    c.close();
    await server.close();
    const restored = new DatabaseSync(copyPath);
    expect(restored.prepare("SELECT body FROM inbox").all()).toEqual([{ body: "in the backup" }]);
    restored.close();
    expect(() => backupRealmDatabase(join(root, "live"), copyPath)).toThrow(/already exists/);
  });

  it("remembers across a restart whom to tell when a queued message is delivered, once", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-sqlite-"));
    let store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    await store.outbox.awaitDelivery({ id: "q1", from: "messi", to: "james@realm2" });
    await store.close();
    store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    expect(await store.outbox.takeDelivery("q1")).toEqual({ id: "q1", from: "messi", to: "james@realm2" });
    expect(await store.outbox.takeDelivery("q1")).toBeUndefined();
    await store.close();
  });

  it("the live inbox: peek removes nothing, ack removes up to an id, both across a restart", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-sqlite-"));
    let store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    const m = (id: string) => ({ id, from: "henderson", fromName: "H", to: "messi", toName: "M", text: id, sentAt: 1 });
    await Promise.all(["m1", "m2", "m3"].map((id) => appendToInbox(store.inboxes, m(id))));
    expect((await store.inboxes.peek("messi", 2)).map((x) => x.id)).toEqual(["m1", "m2"]);
    expect(await store.inboxes.ackUpTo("messi", "m2")).toBe(2);
    expect(await store.inboxes.ackUpTo("messi", "unknown")).toBe(0);
    await store.close();
    store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    expect((await store.inboxes.peek("messi", 10)).map((x) => x.id)).toEqual(["m3"]);
    await store.close();
  });

  it("the federation outbox survives a restart in order", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-sqlite-"));
    let store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    const entry = (id: string) => ({ id, to: "realm2", from: "messi", fromName: "M", user: "james", text: id, sentAt: 1 });
    await Promise.all(["a", "b", "c"].map((id) => store.outbox.add(entry(id))));
    await store.outbox.remove("b");
    await store.close();
    store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    expect((await store.outbox.list()).map((e) => e.id)).toEqual(["a", "c"]);
    await store.close();
  });

  it("live sends pipelined in one write commit in order, answered after it; the inbox limit counts those committing", async () => {
    dir = await mkdtemp(join(tmpdir(), "realm-sqlite-"));
    const cfg = await config();
    const realm = await startRealmServer({ config: cfg, host: "127.0.0.1", port: 0, dataDir: dir, limits: { maxInboxMessages: 5 } });
    const messi = await LiveWire.connect(realm.listener.port);
    const henderson = await LiveWire.connect(realm.listener.port);
    try {
      await messi.ok("auth", { user: "messi", password: "surabaya" });
      await henderson.ok("auth", { user: "henderson", password: "surabaya" });
      messi.writeRaw(
        Array.from({ length: 8 }, (_, i) => `${JSON.stringify({ id: `s${i}`, op: "send", to: "henderson", text: `p${i}` })}\n`).join(""),
      );
      const replies = await Promise.all(Array.from({ length: 8 }, (_, i) => messi.reply(`s${i}`)));
      expect(replies.map((r) => r.ok)).toEqual([true, true, true, true, true, false, false, false]);
      expect(replies[5]).toMatchObject({ code: "INBOX_FULL" });
      await henderson.event((e) => e.text === "p4", "the fifth message");
      expect(henderson.events.filter((e) => e.ev === "message").map((e) => e.text)).toEqual(["p0", "p1", "p2", "p3", "p4"]);
    } finally {
      messi.close();
      henderson.close();
      await realm.close();
    }
    // Every answered message was committed: a store opened afterwards has them, in order.
    const store = SqliteRealmStore.open(dir, { sessionIdleMs: 60_000, open: "create" });
    expect((await store.inboxes.peek("henderson", 10)).map((m) => m.text)).toEqual(["p0", "p1", "p2", "p3", "p4"]);
    await store.close();
  });
});
