import type { SqlDatabase, SqlStatement } from "./sql-database.ts";

/** Work asked of a store after it was closed (a connection ending while the process shuts down). */
export class StorageClosedError extends Error {
  override readonly name = "StorageClosedError";
  readonly code = "STORAGE_CLOSED";
  constructor() {
    super("storage is closed");
  }
}

/**
 * The same database, with each SQL text compiled once: operations call `prepare` on every run,
 * and compiling a statement costs far more than running it.
 */
export function withStatementCache(db: SqlDatabase): SqlDatabase {
  const cache = new Map<string, SqlStatement>();
  return {
    exec: (sql) => db.exec(sql),
    prepare: (sql) => {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = db.prepare(sql);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Told the seconds one batch's transaction took, once it committed. */
export type CommitObserver = (seconds: number) => void;

/** A storage operation: a plain function of the database and one argument (no closure per call). */
export type StorageOp<A, T> = (db: SqlDatabase, arg: A) => T;

/**
 * Told how a queued operation turned out, once its transaction committed (or failed): the form
 * the hot paths use, one object they need anyway per operation instead of a promise and its
 * callbacks.
 */
export interface Completion<T> {
  committed(result: T): void;
  failed(error: unknown): void;
}

interface Pending {
  readonly op: StorageOp<unknown, unknown>;
  readonly arg: unknown;
  readonly done: Completion<unknown>;
}

/**
 * Group commit: every operation asked for during one event-loop turn runs, in order, in one
 * transaction, and every promise settles (every completion is told) only after that transaction
 * has committed. An operation
 * that throws rejects alone (the batch is run again with a savepoint per operation, which undoes
 * its partial writes); a failed commit rejects them all.
 */
export class CommitQueue {
  readonly #db: SqlDatabase;
  #pending: Pending[] = [];
  #scheduled = false;
  #closed = false;
  readonly #run = (): void => this.#commit();
  readonly #observe: CommitObserver | undefined;

  /** `observe` is told how long each batch took, from its BEGIN to its COMMIT (metrics). */
  constructor(db: SqlDatabase, observe?: CommitObserver) {
    this.#db = withStatementCache(db);
    this.#observe = observe;
  }

  run<A, T>(op: StorageOp<A, T>, arg: A): Promise<T> {
    return new Promise<T>((resolve, reject) => this.enqueue(op, arg, { committed: resolve, failed: reject }));
  }

  /** Like `run`, with `done` told the outcome. */
  enqueue<A, T>(op: StorageOp<A, T>, arg: A, done: Completion<T>): void {
    if (this.#closed) {
      queueMicrotask(() => done.failed(new StorageClosedError()));
      return;
    }
    this.#pending.push({ op: op as StorageOp<unknown, unknown>, arg, done: done as Completion<unknown> });
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
  }

  /** Commits whatever is pending now, then refuses new work. */
  close(): void {
    if (this.#pending.length > 0) this.#commit();
    this.#closed = true;
  }

  #commit(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    const results: unknown[] = new Array(batch.length);
    let failed: boolean[] | undefined;
    const started = this.#observe === undefined ? 0 : performance.now();
    try {
      // Operations rarely fail: the batch runs without a savepoint per operation, and only if
      // one throws is it rolled back and run again with savepoints, so that the others commit.
      if (!this.#runPlain(batch, results)) failed = this.#runIsolated(batch, results);
      this.#observe?.((performance.now() - started) / 1000);
    } catch (err) {
      try {
        this.#db.exec("ROLLBACK");
      } catch {
        // Already rolled back by SQLite itself.
      }
      for (const p of batch) p.done.failed(err);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      if (failed?.[i] === true) p.done.failed(results[i]);
      else p.done.committed(results[i]);
    }
  }

  /** Runs and commits the batch; false (rolled back) if an operation threw. */
  #runPlain(batch: readonly Pending[], results: unknown[]): boolean {
    const db = this.#db;
    db.prepare("BEGIN IMMEDIATE").run();
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      try {
        results[i] = p.op(db, p.arg);
      } catch {
        db.prepare("ROLLBACK").run();
        return false;
      }
    }
    db.prepare("COMMIT").run();
    return true;
  }

  /** Runs and commits the batch with a savepoint per operation; which operations failed. */
  #runIsolated(batch: readonly Pending[], results: unknown[]): boolean[] {
    const db = this.#db;
    const failed: boolean[] = new Array(batch.length).fill(false);
    db.prepare("BEGIN IMMEDIATE").run();
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      db.prepare("SAVEPOINT op").run();
      try {
        results[i] = p.op(db, p.arg);
        db.prepare("RELEASE op").run();
      } catch (err) {
        db.prepare("ROLLBACK TO op").run();
        db.prepare("RELEASE op").run();
        failed[i] = true;
        results[i] = err;
      }
    }
    db.prepare("COMMIT").run();
    return failed;
  }
}
