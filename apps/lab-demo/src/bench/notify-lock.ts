import type { LocalPostgres, SqlConnection } from "../local-postgres.ts";

export interface NotifyLockFigures {
  readonly clients: number;
  /** Transactions of one small row, committed per second by all clients together. */
  readonly plainPerSecond: number;
  /** The same with a NOTIFY in each, as the cluster log's batches have. */
  readonly notifyingPerSecond: number;
}

/** Each client in a loop of `BEGIN; INSERT; [NOTIFY;] COMMIT` until `until`; how many all committed. */
async function commitLoops(connections: readonly SqlConnection[], notify: boolean, until: number): Promise<number> {
  let commits = 0;
  await Promise.all(
    connections.map(async (db, i) => {
      while (Date.now() < until) {
        await db.query("BEGIN");
        await db.query("INSERT INTO notify_lock_probe (client) VALUES ($1)", [i]);
        if (notify) await db.query("SELECT pg_notify('notify_lock_probe', '')");
        await db.query("COMMIT");
        commits++;
      }
    }),
  );
  return commits;
}

/**
 * How much NOTIFY's lock costs (docs/design/scale-out.md, "Capacity model"): PostgreSQL takes one
 * lock for every transaction that notifies and holds it through that transaction's commit (its
 * WAL flush included), so notifying transactions commit one at a time. Measured as commits per
 * second of 1, 2, 4… clients, each committing small transactions as fast as it can, without and
 * with a NOTIFY in each.
 */
export async function measureNotifyLock(postgres: LocalPostgres, database: string, clients: readonly number[], seconds = 2) {
  await postgres.database(database);
  const setup = await postgres.connect(database);
  await setup.query("CREATE TABLE IF NOT EXISTS notify_lock_probe (client INTEGER NOT NULL)");
  await setup.end();
  const figures: NotifyLockFigures[] = [];
  for (const n of clients) {
    const connections = await Promise.all(Array.from({ length: n }, () => postgres.connect(database)));
    try {
      const plain = await commitLoops(connections, false, Date.now() + seconds * 1000);
      const notifying = await commitLoops(connections, true, Date.now() + seconds * 1000);
      figures.push({ clients: n, plainPerSecond: Math.round(plain / seconds), notifyingPerSecond: Math.round(notifying / seconds) });
    } finally {
      await Promise.all(connections.map((c) => c.end()));
    }
  }
  return figures;
}
