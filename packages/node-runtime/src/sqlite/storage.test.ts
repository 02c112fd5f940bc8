import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { CommitQueue } from "./commit-queue.ts";
import { applyMigrations, SchemaTooNewError } from "./migrations.ts";
import type { SqlDatabase } from "./sql-database.ts";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function open(): DatabaseSync {
  dir = mkdtempSync(join(tmpdir(), "storage-"));
  const db = new DatabaseSync(join(dir, "t.db"));
  db.exec("PRAGMA journal_mode=WAL");
  return db;
}

const MIGRATIONS = ["CREATE TABLE a(x INTEGER)", "CREATE TABLE b(y TEXT); INSERT INTO b SELECT 'from a ' || x FROM a"];

describe("applyMigrations", () => {
  it("upgrades an older database step by step and keeps its data", () => {
    const db = open();
    expect(applyMigrations(db, MIGRATIONS, 1)).toBe(1);
    db.exec("INSERT INTO a VALUES (7)");
    expect(applyMigrations(db, MIGRATIONS)).toBe(2);
    expect(db.prepare("SELECT y FROM b").all()).toEqual([{ y: "from a 7" }]);
    expect(applyMigrations(db, MIGRATIONS)).toBe(2);
  });

  it("refuses a database newer than the program", () => {
    const db = open();
    db.exec("PRAGMA user_version = 5");
    expect(() => applyMigrations(db, MIGRATIONS)).toThrow(SchemaTooNewError);
  });
});

const insert = (db: SqlDatabase, x: number): number => {
  if (x < 0) throw new RangeError("negative");
  db.prepare("INSERT INTO a VALUES (?)").run(x);
  return x;
};

/** Writes, then fails: its write must not survive. */
const insertThenFail = (db: SqlDatabase, x: number): number => {
  db.prepare("INSERT INTO a VALUES (?)").run(x);
  throw new RangeError("failed after writing");
};

describe("CommitQueue", () => {
  it("runs a turn's operations in one transaction, in order; a failing one rejects alone", async () => {
    const db = open();
    applyMigrations(db, MIGRATIONS, 1);
    const q = new CommitQueue(db);
    const results = await Promise.allSettled([q.run(insert, 1), q.run(insert, -1), q.run(insertThenFail, 7), q.run(insert, 2)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      1,
      "negative",
      "failed after writing",
      2,
    ]);
    // Each write once, the failed operation's write undone, whether the batch ran once or twice.
    expect(db.prepare("SELECT x FROM a ORDER BY rowid").all()).toEqual([{ x: 1 }, { x: 2 }]);
    expect(await q.run(insert, 3)).toBe(3);
    // Committed: another connection sees the rows.
    const other = new DatabaseSync(join(dir as string, "t.db"));
    expect(other.prepare("SELECT count(*) AS n FROM a").get()).toEqual({ n: 3 });
    other.close();
  });

  it("settles nothing before the commit", async () => {
    const db = open();
    applyMigrations(db, MIGRATIONS, 1);
    const q = new CommitQueue(db);
    let settled = false;
    const p = q.run(insert, 5).then(() => (settled = true));
    expect(settled).toBe(false);
    await p;
    expect(settled).toBe(true);
  });
});
