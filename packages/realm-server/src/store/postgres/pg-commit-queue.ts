import type { Pool, PoolClient } from "pg";
import { StorageClosedError, type CommitObserver } from "@realmchat/node-runtime";

/**
 * One storage operation, run inside the queue's transaction on its one connection. One that
 * `many` is given for can also run a whole run of itself (asked for one after another in a turn)
 * as one query: answers in the order asked.
 */
export type PgOp<A, T> = ((db: PoolClient, arg: A) => Promise<T>) & {
  readonly many?: (db: PoolClient, args: readonly A[]) => Promise<T[]>;
};

/** An operation that also runs many at once (see PgOp). */
export function batchable<A, T>(
  one: (db: PoolClient, arg: A) => Promise<T>,
  many: (db: PoolClient, args: readonly A[]) => Promise<T[]>,
): PgOp<A, T> {
  return Object.assign(one, { many });
}

interface Pending {
  readonly op: PgOp<unknown, unknown>;
  readonly arg: unknown;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface Outcome {
  readonly results: unknown[];
  readonly failed: boolean[];
}

/**
 * Group commit on PostgreSQL: every operation asked for during one event-loop turn runs in one
 * transaction, in the order asked (one failing does not undo the others: the batch is then run
 * again with a savepoint per operation); a batch starts only when the previous one has
 * committed. Reads go through it too, so that they see every write asked for before them, and
 * answer in order.
 */
export class PgCommitQueue {
  readonly #pool: Pool;
  #pending: Pending[] = [];
  #scheduled = false;
  #running: Promise<void> | undefined;
  #closed = false;
  /** Channels to notify when the pending batch commits, with their payloads: once per batch, however many events it holds. */
  #notify = new Map<string, string>();

  readonly #observe: CommitObserver | undefined;

  /** `observe` is told how long each batch took, from taking a connection to its COMMIT (metrics). */
  constructor(pool: Pool, observe?: CommitObserver) {
    this.#pool = pool;
    this.#observe = observe;
  }

  run<A, T>(op: PgOp<A, T>, arg: A): Promise<T> {
    if (this.#closed) return Promise.reject(new StorageClosedError());
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ op: op as PgOp<unknown, unknown>, arg, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** Asks for one NOTIFY on `channel`, saying `payload`, when the batch now pending commits. */
  notifyOnCommit(channel: string, payload = ""): void {
    this.#notify.set(channel, payload);
  }

  #schedule(): void {
    if (this.#scheduled || this.#running !== undefined) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#running = this.#commit().finally(() => {
        this.#running = undefined;
        if (this.#pending.length > 0) this.#schedule();
      });
    });
  }

  async #commit(): Promise<void> {
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    const channels = [...this.#notify.entries()];
    this.#notify.clear();
    let client: PoolClient | undefined;
    let outcome: Outcome;
    const started = this.#observe === undefined ? 0 : performance.now();
    try {
      client = await this.#pool.connect();
      // Most batches have no failing operation: run them without a savepoint per operation (two
      // round trips each), and only if one fails, run the batch again with savepoints.
      outcome = (await this.#attempt(client, batch, channels, false)) ?? ((await this.#attempt(client, batch, channels, true)) as Outcome);
    } catch (err) {
      // Released with the error, the connection is closed, and the server rolls its transaction back.
      client?.release(err as Error);
      for (const p of batch) p.reject(err);
      return;
    }
    client.release();
    this.#observe?.((performance.now() - started) / 1000);
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      if (outcome.failed[i]) p.reject(outcome.results[i]);
      else p.resolve(outcome.results[i]);
    }
  }

  /**
   * Runs the batch in one transaction and commits it. Without savepoints, a failing operation
   * rolls everything back and the answer is undefined (run it again with them); with savepoints,
   * a failing operation is undone alone and answered with its error.
   */
  async #attempt(
    client: PoolClient,
    batch: readonly Pending[],
    channels: readonly (readonly [string, string])[],
    savepoints: boolean,
  ): Promise<Outcome | undefined> {
    const results: unknown[] = new Array(batch.length);
    const failed: boolean[] = new Array(batch.length).fill(false);
    await client.query("BEGIN");
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending;
      if (!savepoints && p.op.many !== undefined) {
        let end = i + 1;
        while (end < batch.length && (batch[end] as Pending).op === p.op) end++;
        if (end - i > 1) {
          try {
            const many = await p.op.many(
              client,
              batch.slice(i, end).map((b) => b.arg),
            );
            for (let k = i; k < end; k++) results[k] = many[k - i];
          } catch {
            await client.query("ROLLBACK");
            return undefined;
          }
          i = end - 1;
          continue;
        }
      }
      if (savepoints) await client.query("SAVEPOINT op");
      try {
        results[i] = await p.op(client, p.arg);
        if (savepoints) await client.query("RELEASE SAVEPOINT op");
      } catch (err) {
        if (!savepoints) {
          await client.query("ROLLBACK");
          return undefined;
        }
        await client.query("ROLLBACK TO SAVEPOINT op");
        failed[i] = true;
        results[i] = err;
      }
    }
    // Delivered to listeners only if the transaction commits.
    for (const [channel, payload] of channels) await client.query("SELECT pg_notify($1, $2)", [channel, payload]);
    await client.query("COMMIT");
    return { results, failed };
  }

  /** Waits for what is pending, then refuses new work. */
  async close(): Promise<void> {
    while (this.#running !== undefined || this.#pending.length > 0 || this.#scheduled) {
      await (this.#running ?? new Promise((r) => setImmediate(r)));
    }
    this.#closed = true;
  }
}
