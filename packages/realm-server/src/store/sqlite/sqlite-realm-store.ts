import type { DatabaseSync } from "node:sqlite";
import {
  CommitQueue,
  describeError,
  openSqliteDatabase,
  silentLogger,
  StorageClosedError,
  WalCheckpointer,
  type CommitObserver,
  type Completion,
  type Logger,
  type OpenMode,
} from "@realmchat/node-runtime";
import type {
  AwaitedDelivery,
  GroupStore,
  InboxSizes,
  InboxStore,
  OutboxEntry,
  OutboxStore,
  ReadMarkerStore,
  RealmStore,
  RelayedMessage,
  RelayLedger,
  RelayOutcome,
  StoredMessage,
  UserRecord,
  UserStore,
} from "../realm-store.ts";
import {
  acceptRelayed,
  ackInbox,
  removeFromInbox,
  addAwaited,
  addOutbox,
  appendInbox,
  deleteUser,
  inboxSizes,
  peekInbox,
  purgeAwaited,
  purgeRelayed,
  listOutbox,
  putUser,
  seedUser,
  removeOutbox,
  takeAwaited,
} from "./realm-operations.ts";
import { REALM_MIGRATIONS } from "./realm-schema.ts";
import { SqliteSessions } from "./sqlite-sessions.ts";
import { SqliteGroups } from "./sqlite-groups.ts";
import { SqliteReadMarkers } from "./sqlite-read-markers.ts";
import type { StoreContext } from "./store-context.ts";

export const REALM_DB_FILE = "realm.db";
/** How long ids of relayed messages are remembered: well past the bridges' 3-day expiry. */
const RELAYED_KEEP_MS = 10 * 24 * 60 * 60 * 1000;

export interface SqliteStoreOptions {
  readonly sessionIdleMs: number;
  readonly now?: () => number;
  /** Where failures of writes nobody waits for go. */
  readonly logger?: Logger;
  /** `create` for the server; every other command opens only a store that exists. */
  readonly open: OpenMode;
  /** Checkpoint the WAL in a thread of its own, this often (the server), rather than on the serving connection. */
  readonly checkpointEveryMs?: number;
  /** Told how long each group commit took (metrics). */
  readonly observeCommit?: CommitObserver | undefined;
}

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
      this.cache.set(String(r.username), {
        username: String(r.username),
        displayName: String(r.display_name),
        passwordHash: String(r.password_hash),
      });
    }
  }
  get(username: string): UserRecord | undefined {
    return this.cache.get(username);
  }
  async list(): Promise<readonly UserRecord[]> {
    return [...this.cache.values()];
  }
  async put(user: UserRecord): Promise<void> {
    await this.#ctx.commits.run(putUser, user);
    this.cache.set(user.username, user);
  }
  async seed(user: UserRecord): Promise<boolean> {
    const added = await this.#ctx.commits.run(seedUser, user);
    if (added) this.cache.set(user.username, user);
    return added;
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
  /** The last inbox sequence number given: this process is the only writer. */
  #seq: number;
  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
    this.#seq = Number(ctx.db.prepare("SELECT max(seq) AS seq FROM inbox").get()?.seq ?? 0);
  }
  /** The next inbox place, in the order messages come (they are committed in that order). */
  nextSeq(): number {
    return ++this.#seq;
  }
  /** Counted at once, not at the commit: sends queued in one turn must see each other (INBOX_FULL). */
  append(message: StoredMessage, stored: Completion<void>): void {
    this.#counts.set(message.to, this.#countNow(message.to) + 1);
    this.#ctx.commits.enqueue(appendInbox, { ...message, seq: this.nextSeq() }, new CountedAppend(this, message.to, stored));
  }
  /** An append counted in advance did not commit. */
  uncount(username: string): void {
    this.#add(username, -1);
  }
  /** `username`'s inbox was deleted with the user. */
  emptied(username: string): void {
    this.#counts.delete(username);
  }
  /** A message reached `username`'s inbox by another way (the relay ledger). */
  added(username: string): void {
    this.#add(username, 1);
  }
  #add(username: string, n: number): void {
    const known = this.#counts.get(username);
    if (known !== undefined) this.#counts.set(username, known + n);
  }
  count(username: string): number {
    return this.#countNow(username);
  }
  #countNow(username: string): number {
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
  sizes(): Promise<InboxSizes> {
    return this.#ctx.commits.run(inboxSizes, undefined);
  }
  async ackUpTo(username: string, upTo: string): Promise<number> {
    return this.#removed(username, await this.#ctx.commits.run(ackInbox, { username, upTo }));
  }
  async remove(username: string, ids: readonly string[]): Promise<number> {
    return this.#removed(username, await this.#ctx.commits.run(removeFromInbox, { username, ids }));
  }
  #removed(username: string, removed: number): number {
    const known = this.#counts.get(username);
    if (known !== undefined) this.#counts.set(username, Math.max(0, known - removed));
    return removed;
  }
}

/** Hands an append's outcome on, taking the message off its inbox's count if it failed. */
class CountedAppend implements Completion<void> {
  readonly #inboxes: SqliteInboxes;
  readonly #username: string;
  readonly #next: Completion<void>;
  constructor(inboxes: SqliteInboxes, username: string, next: Completion<void>) {
    this.#inboxes = inboxes;
    this.#username = username;
    this.#next = next;
  }
  committed(): void {
    this.#next.committed();
  }
  failed(error: unknown): void {
    this.#inboxes.uncount(this.#username);
    this.#next.failed(error);
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
    const result = await this.#ctx.commits.run(acceptRelayed, {
      origin,
      message,
      recipient: this.#users.cache.get(message.user),
      at: this.#ctx.now(),
      seq: this.#inboxes.nextSeq(),
    });
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
  /** Read in the commit queue's order: it sees every add and remove asked for before it. */
  list(limit = -1): Promise<readonly OutboxEntry[]> {
    return this.#ctx.commits.run(listOutbox, limit);
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
  readonly markers: ReadMarkerStore;
  readonly #ctx: StoreContext;
  readonly #sweeper: NodeJS.Timeout;
  readonly #checkpointer: WalCheckpointer | undefined;

  private constructor(path: string, db: DatabaseSync, options: SqliteStoreOptions) {
    this.path = path;
    const logger = options.logger ?? silentLogger;
    const backgroundWriteFailed = (err: unknown): void => {
      // Writes queued as the realm shuts down find the store closed: expected, and nothing is lost.
      if (err instanceof StorageClosedError) logger.info("a background write came after the store closed", { error: err.message });
      else logger.error("a background write failed; the next one tries again", { error: describeError(err) });
    };
    this.#ctx = { db, commits: new CommitQueue(db, options.observeCommit), now: options.now ?? Date.now, backgroundWriteFailed };
    this.#checkpointer =
      options.checkpointEveryMs === undefined
        ? undefined
        : new WalCheckpointer(db, path, { intervalMs: options.checkpointEveryMs, logger });
    this.inboxes = new SqliteInboxes(this.#ctx);
    this.sessions = new SqliteSessions(this.#ctx, options.sessionIdleMs);
    this.users = new SqliteUsers(this.#ctx, (username) => {
      this.inboxes.emptied(username);
      this.sessions.forgetUser(username);
    });
    this.groups = new SqliteGroups(this.#ctx);
    this.relayed = new SqliteRelayLedger(this.#ctx, this.users, this.inboxes);
    this.outbox = new SqliteOutbox(this.#ctx);
    this.markers = new SqliteReadMarkers(this.#ctx);
    this.#sweeper = setInterval(() => this.#sweep(), 60_000);
    this.#sweeper.unref();
    this.#sweep();
  }

  /** Opens (creating and migrating as needed) `<dataDir>/realm.db`. */
  static open(dataDir: string, options: SqliteStoreOptions): SqliteRealmStore {
    const { path, db } = openSqliteDatabase(dataDir, REALM_DB_FILE, REALM_MIGRATIONS, options.open, options.logger);
    return new SqliteRealmStore(path, db, options);
  }

  #sweep(): void {
    this.sessions.sweep();
    const { commits, now, backgroundWriteFailed } = this.#ctx;
    commits.run(purgeRelayed, now() - RELAYED_KEEP_MS).catch(backgroundWriteFailed);
    // A queued message is given up by its bridge after days (its sender gets a notice instead).
    commits.run(purgeAwaited, now() - RELAYED_KEEP_MS).catch(backgroundWriteFailed);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#ctx.commits.close();
    await this.#checkpointer?.stop();
    this.#ctx.db.close();
  }
}
