import { createHash } from "node:crypto";
import { describeError, silentLogger, type CommitObserver, type Completion, type Logger } from "@realmchat/node-runtime";
import pg from "pg";
import { v4 as uuidv4 } from "uuid";
import type {
  AwaitedDelivery,
  GroupHistoryRecord,
  GroupRecord,
  GroupStore,
  HistoryPage,
  InboxSizes,
  InboxStore,
  OutboxEntry,
  OutboxStore,
  ReadMarker,
  ReadMarkerStore,
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
import { PgCommitQueue } from "./pg-commit-queue.ts";
import { PgClusterLog } from "./pg-cluster-log.ts";
import * as groupOps from "./pg-group-operations.ts";
import { applyPgMigrations } from "./pg-migrations.ts";
import * as ops from "./pg-operations.ts";
import { PG_REALM_MIGRATIONS } from "./pg-schema.ts";

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
/** How long ids of relayed messages are remembered (as for SQLite). */
const RELAYED_KEEP_MS = 10 * 24 * 60 * 60 * 1000;
/** A session's last use is written back at most this often. */
const SESSION_PERSIST_MS = 60_000;

export interface PgStoreOptions {
  readonly sessionIdleMs: number;
  readonly now?: () => number;
  /** Where failures of the store's own background work (sweeps, the cluster log's reads) go. */
  readonly logger?: Logger;
  /** Told how long each group commit took (metrics). */
  readonly observeCommit?: CommitObserver | undefined;
}

interface Context {
  readonly q: PgCommitQueue;
  readonly now: () => number;
}

/** Each part of the store runs its operations through the one commit queue. */
abstract class PgPart {
  readonly ctx: Context;
  constructor(ctx: Context) {
    this.ctx = ctx;
  }
}

class PgUsers extends PgPart implements UserStore {
  get(username: string): Promise<UserRecord | undefined> {
    return this.ctx.q.run(ops.getUser, username);
  }
  list(): Promise<readonly UserRecord[]> {
    return this.ctx.q.run(ops.listUsers, undefined);
  }
  put(user: UserRecord): Promise<void> {
    return this.ctx.q.run(ops.putUser, user);
  }
  seed(user: UserRecord): Promise<boolean> {
    return this.ctx.q.run(ops.seedUser, user);
  }
  remove(username: string): Promise<boolean> {
    return this.ctx.q.run(ops.removeUser, username);
  }
}

class PgInboxes extends PgPart implements InboxStore {
  append(message: StoredMessage, stored: Completion<void>): void {
    this.ctx.q.run(ops.appendInbox, message).then(
      () => stored.committed(),
      (err: unknown) => stored.failed(err),
    );
  }
  count(username: string): Promise<number> {
    return this.ctx.q.run(ops.countInbox, username);
  }
  peek(username: string, limit: number): Promise<StoredMessage[]> {
    return this.ctx.q.run(ops.peekInbox, { username, limit });
  }
  sizes(): Promise<InboxSizes> {
    return this.ctx.q.run(ops.inboxSizes, undefined);
  }
  ackUpTo(username: string, upTo: string): Promise<number> {
    return this.ctx.q.run(ops.ackInbox, { username, upTo });
  }
  remove(username: string, ids: readonly string[]): Promise<number> {
    return this.ctx.q.run(ops.removeFromInbox, { username, ids });
  }
}

class PgSessions extends PgPart implements SessionStore {
  readonly idleMs: number;
  constructor(ctx: Context, idleMs: number) {
    super(ctx);
    this.idleMs = idleMs;
  }
  async create(username: string): Promise<Session> {
    const token = uuidv4();
    await this.ctx.q.run(ops.insertSession, { hash: hashToken(token), username, at: this.ctx.now() });
    return { token, username };
  }
  touch(token: string): Promise<Session | undefined> {
    return this.ctx.q.run(ops.touchSession, {
      hash: hashToken(token),
      token,
      now: this.ctx.now(),
      idleMs: this.idleMs,
      persistMs: SESSION_PERSIST_MS,
    });
  }
  revoke(token: string): Promise<boolean> {
    return this.ctx.q.run(ops.deleteSession, hashToken(token));
  }
  revokeUser(username: string): Promise<number> {
    return this.ctx.q.run(ops.deleteUserSessions, username);
  }
}

class PgGroups extends PgPart implements GroupStore {
  get(name: string): Promise<GroupRecord | undefined> {
    return this.ctx.q.run(groupOps.getGroup, name);
  }
  list(): Promise<readonly GroupRecord[]> {
    return this.ctx.q.run(groupOps.listGroups, { merged: false });
  }
  pendingMerges(): Promise<readonly GroupRecord[]> {
    return this.ctx.q.run(groupOps.listGroups, { merged: true });
  }
  ensure(name: string, createdBy: string): Promise<{ readonly group: GroupRecord; readonly created: boolean }> {
    return this.ctx.q.run(groupOps.ensureGroup, { name, createdBy, at: this.ctx.now() });
  }
  addMember(group: string, member: string): Promise<void> {
    return this.ctx.q.run(groupOps.addMember, { group, member });
  }
  removeMember(group: string, member: string): Promise<void> {
    return this.ctx.q.run(groupOps.removeMember, { group, member });
  }
  members(group: string): Promise<readonly string[]> {
    return this.ctx.q.run(groupOps.listMembers, group);
  }
  appendHistory(group: string, event: GroupHistoryRecord, keep: number): Promise<void> {
    return this.ctx.q.run(groupOps.appendHistory, { group, event, keep });
  }
  history(group: string, limit: number): Promise<GroupHistoryRecord[]> {
    return this.ctx.q.run(groupOps.readHistory, { group, limit });
  }
  historyBefore(group: string, before: string, limit: number): Promise<HistoryPage> {
    return this.ctx.q.run(groupOps.readHistoryBefore, { group, before, limit });
  }
  absorb(group: string, members: readonly string[], history: readonly GroupHistoryRecord[], keep: number): Promise<void> {
    return this.ctx.q.run(groupOps.absorbGroup, { group, members, history, keep });
  }
  markMerged(group: string, home: string): Promise<void> {
    return this.ctx.q.run(groupOps.markMerged, { group, home });
  }
  mergeConfirmed(group: string): Promise<void> {
    return this.ctx.q.run(groupOps.confirmMerge, group);
  }
}

class PgReadMarkers extends PgPart implements ReadMarkerStore {
  set(username: string, conversation: string, ts: number): Promise<ReadMarker> {
    return this.ctx.q.run(groupOps.setReadMarker, { username, conversation, ts });
  }
  list(username: string): Promise<readonly ReadMarker[]> {
    return this.ctx.q.run(groupOps.listReadMarkers, username);
  }
}

class PgRelayLedger extends PgPart implements RelayLedger {
  accept(origin: string, message: RelayedMessage): Promise<{ readonly outcome: RelayOutcome; readonly fresh: boolean }> {
    return this.ctx.q.run(ops.acceptRelayed, { origin, message, at: this.ctx.now() });
  }
}

class PgOutbox extends PgPart implements OutboxStore {
  add(entry: OutboxEntry): Promise<void> {
    return this.ctx.q.run(ops.addOutbox, entry);
  }
  remove(id: string): Promise<void> {
    return this.ctx.q.run(ops.removeOutbox, id);
  }
  list(limit?: number): Promise<readonly OutboxEntry[]> {
    return this.ctx.q.run(ops.listOutbox, limit);
  }
  awaitDelivery(delivery: AwaitedDelivery): Promise<void> {
    return this.ctx.q.run(ops.addAwaited, { delivery, at: this.ctx.now() });
  }
  takeDelivery(id: string): Promise<AwaitedDelivery | undefined> {
    return this.ctx.q.run(ops.takeAwaited, id);
  }
}

/**
 * Everything of a realm in a PostgreSQL database (`--store postgres://…`), behind the same
 * `RealmStore` contract as SQLite and tested by the same suite. Nothing is cached in the process:
 * every read goes to the database, in order, through the per-turn transaction.
 */
export class PgRealmStore implements RealmStore {
  readonly users: UserStore;
  readonly inboxes: InboxStore;
  readonly sessions: SessionStore;
  readonly groups: GroupStore;
  readonly relayed: RelayLedger;
  readonly outbox: OutboxStore;
  readonly markers: ReadMarkerStore;
  /** What the instances sharing this database tell each other. */
  readonly cluster: PgClusterLog;
  readonly #pool: pg.Pool;
  readonly #queue: PgCommitQueue;
  readonly #sweeper: NodeJS.Timeout;

  private constructor(pool: pg.Pool, url: string, options: PgStoreOptions) {
    this.#pool = pool;
    this.#queue = new PgCommitQueue(pool, options.observeCommit);
    const logger = options.logger ?? silentLogger;
    this.cluster = new PgClusterLog(this.#queue, url, logger);
    const ctx: Context = { q: this.#queue, now: options.now ?? Date.now };
    this.users = new PgUsers(ctx);
    this.inboxes = new PgInboxes(ctx);
    this.sessions = new PgSessions(ctx, options.sessionIdleMs);
    this.groups = new PgGroups(ctx);
    this.relayed = new PgRelayLedger(ctx);
    this.outbox = new PgOutbox(ctx);
    this.markers = new PgReadMarkers(ctx);
    const sweep = (): void => {
      const now = ctx.now();
      this.#queue
        .run(ops.purgeOld, { relayedBefore: now - RELAYED_KEEP_MS, sessionsBefore: now - options.sessionIdleMs })
        .catch((err: unknown) =>
          logger.warn("purging old sessions and relay records failed; tried again in a minute", { error: describeError(err) }),
        );
    };
    this.#sweeper = setInterval(sweep, 60_000);
    this.#sweeper.unref();
  }

  /** Connects to `url` (`postgres://user:password@host:port/database`) and migrates the schema. */
  static async open(url: string, options: PgStoreOptions): Promise<PgRealmStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    // An idle connection the server drops (a restart, an administrator) is an event the pool
    // recovers from by opening another; left unheard, it would end the process.
    const logger = options.logger ?? silentLogger;
    pool.on("error", (err) => logger.warn("an idle PostgreSQL connection was dropped; the pool opens another", { error: err.message }));
    try {
      const migrated = await applyPgMigrations(pool, PG_REALM_MIGRATIONS);
      if (migrated.backup !== undefined)
        logger.info("schema upgraded; the tables as they were are kept in a schema of their own", {
          from: migrated.from,
          to: migrated.to,
          backup: migrated.backup,
        });
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PgRealmStore(pool, url, options);
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    await this.cluster.close();
    await this.#queue.close();
    await this.#pool.end();
  }
}
