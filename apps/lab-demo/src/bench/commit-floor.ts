import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { openSqliteDatabase } from "@realmchat/node-runtime";

export interface CommitFloor {
  /** A transaction that writes nothing: SQLite does not touch the disk for it. */
  readonly emptyMicros: number;
  /** A transaction of one small row, as the realm's store opens its file (WAL, synchronous = FULL): the fsync floor. */
  readonly oneRowMicros: { readonly p50: number; readonly p99: number };
  readonly commits: number;
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;

/**
 * What one commit costs on this disk at the least, so the store's figures can be read against it
 * (issue 23): the realm commits once per event-loop turn, and no turn's commit is cheaper than this.
 */
export async function measureCommitFloor(commits = 500): Promise<CommitFloor> {
  const dir = await mkdtemp(join(tmpdir(), "commit-floor-"));
  const { db } = openSqliteDatabase(dir, "floor.db", ["CREATE TABLE t (v INTEGER NOT NULL);"], "create");
  try {
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    const empty: number[] = [];
    const oneRow: number[] = [];
    for (let i = 0; i < commits; i++) {
      let start = performance.now();
      db.exec("BEGIN");
      db.exec("COMMIT");
      empty.push(performance.now() - start);
      start = performance.now();
      db.exec("BEGIN");
      insert.run(i);
      db.exec("COMMIT");
      oneRow.push(performance.now() - start);
    }
    empty.sort((a, b) => a - b);
    oneRow.sort((a, b) => a - b);
    return {
      emptyMicros: Math.round(quantile(empty, 0.5) * 1000),
      oneRowMicros: { p50: Math.round(quantile(oneRow, 0.5) * 1000), p99: Math.round(quantile(oneRow, 0.99) * 1000) },
      commits,
    };
  } finally {
    db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
