import type { DatabaseSync } from "node:sqlite";
import type { CommitQueue } from "@realmchat/node-runtime";

/** What every part of the SQLite realm store shares: the database, its commit queue and the clock. */
export interface StoreContext {
  readonly db: DatabaseSync;
  readonly commits: CommitQueue;
  readonly now: () => number;
}
