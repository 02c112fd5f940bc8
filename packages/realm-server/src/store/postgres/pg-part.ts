import type { PgCommitQueue } from "./pg-commit-queue.ts";

export interface Context {
  readonly q: PgCommitQueue;
  readonly now: () => number;
  /** A write nobody waits for failed (a session's last use): logged, and done again at its next turn. */
  readonly backgroundWriteFailed: (err: unknown) => void;
}

/** Each part of the store runs its operations through the one commit queue. */
export abstract class PgPart {
  readonly ctx: Context;
  constructor(ctx: Context) {
    this.ctx = ctx;
  }
}
