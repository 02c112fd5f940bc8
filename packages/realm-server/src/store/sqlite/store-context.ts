import type { DatabaseSync } from "node:sqlite";
import type { CommitQueue } from "@realmchat/node-runtime";

/**
 * What every part of the SQLite realm store shares: the database, its commit queue, the clock,
 * and where failures of its background writes go.
 */
export interface StoreContext {
  readonly db: DatabaseSync;
  readonly commits: CommitQueue;
  readonly now: () => number;
  /** Told of a write nobody waits for (a sweep, a session's last use) that failed. */
  readonly backgroundWriteFailed: (err: unknown) => void;
}
