import { createHash } from "node:crypto";
import type { DatabaseSync } from "node:sqlite";
import { CommitQueue, openSqliteDatabase } from "@realmchat/node-runtime";
import { v4 as uuidv4 } from "uuid";
import type {
  AwaitedDelivery,
  GroupStore,
  InboxStore,
  OutboxEntry,
  OutboxStore,
  RealmStore,
  RelayedMessage,
  RelayLedger,
  RelayOutcome,
  Session,
  SessionStore,
  StoredMessage,
  UserRecord,
  UserStore,
} from "../realm-store.ts";
import {
  acceptRelayed,
  ackInbox,
  addAwaited,
  addOutbox,
  appendInbox,
  deleteSession,
  deleteUser,
  insertSession,
  peekInbox,
  purgeAwaited,
  purgeRelayed,
  putUser,
  removeOutbox,
  takeAwaited,
  touchSession,
} from "./realm-operations.ts";
import { REALM_MIGRATIONS } from "./realm-schema.ts";
import { SqliteGroups } from "./sqlite-groups.ts";
import type { StoreContext } from "./store-context.ts";

export const REALM_DB_FILE = "realm.db";
/** How long ids of relayed messages are remembered: well past the bridges' 3-day expiry. */
const RELAYED_KEEP_MS = 10 * 24 * 60 * 60 * 1000;
/** A session's last use is written back at most this often (the idle clock is this coarse). */
const SESSION_PERSIST_MS = 60_000;

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export interface SqliteStoreOptions {
  readonly sessionIdleMs: number;
  readonly now?: () => number;
}

interface CachedSession {
  readonly username: string;
  lastSeen: number;
  persistedAt: number;
}

/** What the parts of the store share: one database, one commit queue, one clock. */

/** Users are cached: this process is their only writer. */
class SqliteUsers implements UserStore {
  readonly #ctx: StoreContext;
  /** The user's inbox and sessions went with it (the caches of the other parts forget them). */
  readonly #removed: (username: string) => void;
  readonly cache = new Map<string, UserRecord>();
  constructor(ctx: StoreContext, removed: (username: string) => void) {
    this.#ctx = ctx;
    this.#removed = removed;
    for (const r of ctx.db.prepare("SELECT username, display_name, password_hash FROM users").all()) {
      this.cache.set(String(r.username), { username: String(r.username), displayName: String(r.display_name), passwordHash: String(r.password_hash) });
    }
  }
  async get(username: string): Promise<UserRecord | undefined> {
    return this.cache.get(username);
  }
  async list(): Promise<readonly UserRecord[]> {
    return [...this.cache.values()];
  }
  async put(user: UserRecord): Promise<void> {
    await this.#ctx.commits.run(putUser, user);
    this.cache.set(user.username, user);
  }
  async remove(username: string): Promise<boolean> {
    if (!this.cache.delete(username)) return false;
    await this.#ctx.commits.run(deleteUser, username);
    this.#removed(username);
    return true;
  }
}

/** Inbox sizes are counted once per user and then kept up to date: this process is the only writer. */
class SqliteInboxes implements InboxStore {
  readonly #ctx: StoreContext;
  readonly #counts = new Map<string, number>();
  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }
  async append(message: StoredMessage): Promise<void> {
    await this.#ctx.commits.run(appendInbox, message);
    this.added(message.to);
  }
  /** `username`'s inbox was deleted with the user. */
  emptied(username: string): void {
    this.#counts.delete(username);
  }
  /** A message reached `username`'s inbox by another way (the relay ledger). */
  added(username: string): void {
    const known = this.#counts.get(username);
    if (known !== undefined) this.#counts.set(username, known + 1);
  }
  async count(username: string): Promise<number> {
    let known = this.#counts.get(username);
    if (known === undefined) {
      known = Number(this.#ctx.db.prepare("SELECT count(*) AS n FROM inbox WHERE recipient = ?").get(username)?.n ?? 0);
      this.#counts.set(username, known);
    }
    return known;
  }
  peek(username: string, limit: number): Promise<StoredMessage[]> {
    return this.#ctx.commits.run(peekInbox, { username, limit });
  }
  async ackUpTo(username: string, upTo: string): Promise<number> {
    const removed = await this.#ctx.commits.run(ackInbox, { username, upTo });
    const known = this.#counts.get(username);
    if (known !== undefined) this.#counts.set(username, Math.max(0, known - removed));
    return removed;
  }
}

/** Tokens are stored as SHA-256 hashes only; sessions survive a restart. */
class SqliteSessions implements SessionStore {
  readonly #ctx: StoreContext;
  readonly #idleMs: number;
  readonly #cache = new Map<string, CachedSession>();
  constructor(ctx: StoreContext, idleMs: number) {
    this.#ctx = ctx;
    this.#idleMs = idleMs;
    for (const r of ctx.db.prepare("SELECT token_hash, username, last_seen FROM sessions").all()) {
      this.#cache.set(String(r.token_hash), { username: String(r.username), lastSeen: Number(r.last_seen), persistedAt: Number(r.last_seen) });
    }
  }
  async create(username: string): Promise<Session> {
    const token = uuidv4();
    const hash = hashToken(token);
    const at = this.#ctx.now();
    await this.#ctx.commits.run(insertSession, { hash, username, at });
    this.#cache.set(hash, { username, lastSeen: at, persistedAt: at });
    return { token, username };
  }
  async touch(token: string): Promise<Session | undefined> {
    const hash = hashToken(token);
    const session = this.#cache.get(hash);
    if (session === undefined) return undefined;
    const now = this.#ctx.now();
    if (now - session.lastSeen > this.#idleMs) {
      this.#forget(hash);
      return undefined;
    }
    session.lastSeen = now;
    if (now - session.persistedAt > SESSION_PERSIST_MS) {
      session.persistedAt = now;
      void this.#ctx.commits.run(touchSession, { hash, at: now });
    }
    return { token, username: session.username };
  }
  async revoke(token: string): Promise<boolean> {
    const hash = hashToken(token);
    if (!this.#cache.has(hash)) return false;
    this.#cache.delete(hash);
    await this.#ctx.commits.run(deleteSession, hash);
    return true;
  }
  /** The user was deleted, with its sessions: none of them is served from the cache any more. */
  forgetUser(username: string): void {
    for (const [hash, session] of this.#cache) if (session.username === username) this.#cache.delete(hash);
  }
  async revokeUser(username: string): Promise<number> {
    const hashes = [...this.#cache].filter(([, s]) => s.username === username).map(([hash]) => hash);
    for (const hash of hashes) this.#cache.delete(hash);
    await Promise.all(hashes.map((hash) => this.#ctx.commits.run(deleteSession, hash)));
    return hashes.length;
  }
  #forget(hash: string): void {
    this.#cache.delete(hash);
    void this.#ctx.commits.run(deleteSession, hash);
  }
  sweep(): void {
    const now = this.#ctx.now();
    for (const [hash, session] of this.#cache) if (now - session.lastSeen > this.#idleMs) this.#forget(hash);
  }
}

class SqliteRelayLedger implements RelayLedger {
  readonly #ctx: StoreContext;
  readonly #users: SqliteUsers;
  readonly #inboxes: SqliteInboxes;
  constructor(ctx: StoreContext, users: SqliteUsers, inboxes: SqliteInboxes) {
    this.#ctx = ctx;
    this.#users = users;
    this.#inboxes = inboxes;
  }
  async accept(origin: string, message: RelayedMessage): Promise<{ outcome: RelayOutcome; fresh: boolean }> {
    const result = await this.#ctx.commits.run(acceptRelayed, { origin, message, recipient: this.#users.cache.get(message.user), at: this.#ctx.now() });
    if (result.fresh && result.outcome.status === "stored") this.#inboxes.added(message.user);
    return result;
  }
}

class SqliteOutbox implements OutboxStore {
  readonly #ctx: StoreContext;
  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }
  awaitDelivery(delivery: AwaitedDelivery): Promise<void> {
    return this.#ctx.commits.run(addAwaited, { delivery, at: this.#ctx.now() });
  }
  takeDelivery(id: string): Promise<AwaitedDelivery | undefined> {
    return this.#ctx.commits.run(takeAwaited, id);
  }
  add(entry: OutboxEntry): Promise<void> {
    return this.#ctx.commits.run(addOutbox, entry);
  }
  remove(id: string): Promise<void> {
    return this.#ctx.commits.run(removeOutbox, id);
  }
  async list(limit = -1): Promise<readonly OutboxEntry[]> {
    return this.#ctx.db
      .prepare("SELECT entry FROM outbox ORDER BY seq LIMIT ?")
      .all(limit)
      .map((r) => JSON.parse(String(r.entry)) as OutboxEntry);
  }
}

/**
 * Everything of a realm in one SQLite file (WAL, synchronous=FULL) under the data directory.
 * Writes are group-committed once per event-loop turn (CommitQueue): a reply that depends on a
 * write goes out only after the transaction holding it has committed.
 */
export class SqliteRealmStore implements RealmStore {
  readonly path: string;
  readonly users: SqliteUsers;
  readonly inboxes: SqliteInboxes;
  readonly sessions: SqliteSessions;
  readonly groups: GroupStore;
  readonly relayed: RelayLedger;
  readonly outbox: OutboxStore;
  readonly #ctx: StoreContext;
  readonly #sweeper: NodeJS.Timeout;

  private constructor(path: string, db: DatabaseSync, options: SqliteStoreOptions) {
    this.path = path;
    this.#ctx = { db, commits: new CommitQueue(db), now: options.now ?? Date.now };
    this.inboxes = new SqliteInboxes(this.#ctx);
    this.sessions = new SqliteSessions(this.#ctx, options.sessionIdleMs);
    this.users = new SqliteUsers(this.#ctx, (username) => {
      this.inboxes.emptied(username);
      this.sessions.forgetUser(username);
    });
    this.groups = new SqliteGroups(this.#ctx);
    this.relayed = new SqliteRelayLedger(this.#ctx, this.users, this.inboxes);
    this.outbox = new SqliteOutbox(this.#ctx);
    this.#sweeper = setInterval(() => this.#sweep(), 60_000);
    this.#sweeper.unref();
    this.#sweep();
  }

  /** Opens (creating and migrating as needed) `<dataDir>/realm.db`. */
  static open(dataDir: string, options: SqliteStoreOptions): SqliteRealmStore {
    const { path, db } = openSqliteDatabase(dataDir, REALM_DB_FILE, REALM_MIGRATIONS);
    return new SqliteRealmStore(path, db, options);
  }

  #sweep(): void {
    this.sessions.sweep();
    void this.#ctx.commits.run(purgeRelayed, this.#ctx.now() - RELAYED_KEEP_MS);
    // A queued message is given up by its bridge after days (its sender gets a notice instead).
    void this.#ctx.commits.run(purgeAwaited, this.#ctx.now() - RELAYED_KEEP_MS);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#ctx.commits.close();
    this.#ctx.db.close();
  }
}
