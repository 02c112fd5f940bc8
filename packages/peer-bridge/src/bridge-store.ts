import type { DatabaseSync } from "node:sqlite";
import {
  CommitQueue,
  type CommitObserver,
  describeError,
  handled,
  openSqliteDatabase,
  silentLogger,
  type Handled,
  type Logger,
  type Migrations,
  type SqlDatabase,
  WalCheckpointer,
} from "@realmchat/node-runtime";
import type { FrameOf } from "@realmchat/protocol";

export const BRIDGE_DB_FILE = "bridge.db";

const BRIDGE_MIGRATIONS: Migrations = [
  `CREATE TABLE queue (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     peer TEXT NOT NULL,
     id TEXT NOT NULL,
     frame TEXT NOT NULL,
     enqueued_at INTEGER NOT NULL,
     UNIQUE (peer, id)
   );
   CREATE TABLE directories (
     realm TEXT PRIMARY KEY,
     frame TEXT NOT NULL
   );`,
  // Federation v3 directories list groups with their creation times: older cached ones are
  // dropped rather than passed on (peers send fresh ones when they link).
  `DELETE FROM directories;`,
];

export interface StoredDm {
  readonly frame: FrameOf<"dm">;
  readonly enqueuedAt: number;
}

const insertDm = (db: SqlDatabase, e: { peer: string; dm: StoredDm }): void => {
  db.prepare("INSERT OR IGNORE INTO queue (peer, id, frame, enqueued_at) VALUES (?, ?, ?, ?)").run(
    e.peer,
    e.dm.frame.id,
    JSON.stringify(e.dm.frame),
    e.dm.enqueuedAt,
  );
};
const deleteDm = (db: SqlDatabase, e: { peer: string; id: string }): void => {
  db.prepare("DELETE FROM queue WHERE peer = ? AND id = ?").run(e.peer, e.id);
};
const upsertDirectory = (db: SqlDatabase, frame: FrameOf<"directory">): void => {
  db.prepare("INSERT INTO directories (realm, frame) VALUES (?, ?) ON CONFLICT (realm) DO UPDATE SET frame = excluded.frame").run(
    frame.realm,
    JSON.stringify(frame),
  );
};

/**
 * The bridge's own SQLite file: one outbound queue per peer realm (a message leaves it only when
 * the peer's realm acknowledged it) and the last directory of every peer, so that addresses on an
 * unreachable realm still resolve after a restart. Writes are group-committed per turn.
 */
export class BridgeStore {
  readonly path: string;
  readonly #db: DatabaseSync;
  readonly #commits: CommitQueue;
  readonly #logger: Logger;
  readonly #checkpointer: WalCheckpointer | undefined;

  private constructor(
    path: string,
    db: DatabaseSync,
    logger: Logger,
    checkpointEveryMs: number | undefined,
    observeCommit: CommitObserver | undefined,
  ) {
    this.path = path;
    this.#db = db;
    this.#commits = new CommitQueue(db, observeCommit);
    this.#logger = logger;
    this.#checkpointer =
      checkpointEveryMs === undefined ? undefined : new WalCheckpointer(db, path, { intervalMs: checkpointEveryMs, logger });
  }

  /**
   * `checkpointEveryMs`: checkpoint the WAL in a thread of its own, this often (the running bridge), not on the serving
   * connection; `observeCommit` is told how long each group commit took (metrics).
   */
  static open(dataDir: string, logger: Logger = silentLogger, checkpointEveryMs?: number, observeCommit?: CommitObserver): BridgeStore {
    const { path, db } = openSqliteDatabase(dataDir, BRIDGE_DB_FILE, BRIDGE_MIGRATIONS, "create", logger);
    return new BridgeStore(path, db, logger, checkpointEveryMs, observeCommit);
  }

  // Nobody waits on these two writes, and neither failure loses a message: it is logged here, once.
  readonly #removeFailed = (err: unknown): void => {
    this.#logger.error("an answered message was not removed from the queue; a restart resends it, a duplicate its realm drops", {
      error: describeError(err),
    });
  };

  readonly #directoryFailed = (err: unknown): void => {
    this.#logger.warn("a peer's directory was not saved; its next one is", { error: describeError(err) });
  };

  /** Resolves once the message is committed: only then may anyone be told it is queued. */
  enqueue(peer: string, dm: StoredDm): Promise<void> {
    return this.#commits.run(insertDm, { peer, dm });
  }

  remove(peer: string, id: string): Handled {
    return handled(this.#commits.run(deleteDm, { peer, id }), this.#removeFailed);
  }

  /** A peer's queue, oldest first. */
  queued(peer: string): StoredDm[] {
    return this.#db
      .prepare("SELECT frame, enqueued_at FROM queue WHERE peer = ? ORDER BY seq")
      .all(peer)
      .map((r) => ({ frame: JSON.parse(String(r.frame)) as FrameOf<"dm">, enqueuedAt: Number(r.enqueued_at) }));
  }

  saveDirectory(frame: FrameOf<"directory">): Handled {
    return handled(this.#commits.run(upsertDirectory, frame), this.#directoryFailed);
  }

  directories(): FrameOf<"directory">[] {
    return this.#db
      .prepare("SELECT frame FROM directories")
      .all()
      .map((r) => JSON.parse(String(r.frame)) as FrameOf<"directory">);
  }

  async close(): Promise<void> {
    this.#commits.close();
    await this.#checkpointer?.stop();
    this.#db.close();
  }
}
