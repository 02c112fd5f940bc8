import { describeError, silentLogger, type CommitObserver, type Logger } from "@realmchat/node-runtime";
import pg from "pg";
import type {
  AwaitedDelivery,
  GroupHistoryRecord,
  GroupRecord,
  GroupStore,
  HistoryPage,
  InboxStore,
  OutboxEntry,
  OutboxStore,
  ReadMarker,
  ReadMarkerStore,
  RealmStore,
  RelayedMessage,
  RelayLedger,
  RelayOutcome,
  SessionStore,
  UserStore,
} from "../realm-store.ts";
import { PgCommitQueue } from "./pg-commit-queue.ts";
import { PgClusterLog } from "./pg-cluster-log.ts";
import * as groupOps from "./pg-group-operations.ts";
import { applyPgMigrations } from "./pg-migrations.ts";
import * as ops from "./pg-operations.ts";
import { PgInboxes, PgSessions, PgUsers } from "./pg-cached-parts.ts";
import { PgPart, type Context } from "./pg-part.ts";
import { PG_REALM_MIGRATIONS } from "./pg-schema.ts";

/** How long ids of relayed messages are remembered (as for SQLite). */
const RELAYED_KEEP_MS = 10 * 24 * 60 * 60 * 1000;

export interface PgStoreOptions {
  readonly sessionIdleMs: number;
  readonly now?: () => number;
  /** Where failures of the store's own background work (sweeps, the cluster log's reads) go. */
  readonly logger?: Logger;
  /** Told how long each group commit took (metrics). */
  readonly observeCommit?: CommitObserver | undefined;
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
 * `RealmStore` contract as SQLite and tested by the same suite. Every read goes to the database,
 * in order, through the per-turn transaction, but for the two a send makes: users and inbox sizes
 * are kept in memory (pg-read-caches.ts), users forgotten through the cluster log when they change.
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
    const ctx: Context = {
      q: this.#queue,
      now: options.now ?? Date.now,
      backgroundWriteFailed: (err) => logger.warn("a background write failed; done again at its next turn", { error: describeError(err) }),
    };
    const inboxes = new PgInboxes(ctx);
    // Filled in below: the log and the users refer to each other (it tells it of changes, they write them to it).
    let users: PgUsers | undefined;
    let sessions: PgSessions | undefined;
    const forgetUser = (username: string): void => {
      users?.cache.forget(username);
      sessions?.cache.forgetUser(username);
      // Removed, a user's inbox went with it.
      inboxes.counts.forget(username);
    };
    this.cluster = new PgClusterLog(this.#queue, url, logger, (event) => {
      if (event.t === "logout") sessions?.cache.forgetHash(event.hash);
      else if (event.t === "user") forgetUser(event.username);
    });
    this.users = users = new PgUsers(ctx, this.cluster, forgetUser);
    this.sessions = sessions = new PgSessions(ctx, options.sessionIdleMs, this.cluster);
    this.inboxes = inboxes;
    this.groups = new PgGroups(ctx);
    this.relayed = new PgRelayLedger(ctx);
    this.outbox = new PgOutbox(ctx);
    this.markers = new PgReadMarkers(ctx);
    const sweep = (): void => {
      const now = ctx.now();
      sessions?.cache.sweep(now, options.sessionIdleMs);
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
