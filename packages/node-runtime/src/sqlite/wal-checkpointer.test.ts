import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Logger } from "../logger.ts";
import { openSqliteDatabase } from "./open-sqlite.ts";
import { WalCheckpointer } from "./wal-checkpointer.ts";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const logged: string[] = [];
const logger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message) => logged.push(`warn ${message}`),
  error: (message) => logged.push(`error ${message}`),
};

const until = async (check: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("WalCheckpointer", () => {
  it("checkpoints the WAL in its own thread while the serving connection only writes, and stops before it closes", async () => {
    const dir = await mkdtemp(join(tmpdir(), "checkpointer-"));
    dirs.push(dir);
    const { path, db } = openSqliteDatabase(dir, "t.db", ["CREATE TABLE t (v TEXT NOT NULL);"], "create");
    const checkpointer = new WalCheckpointer(db, path, { intervalMs: 20, logger });
    expect(db.prepare("PRAGMA wal_autocheckpoint").get()).toEqual({ wal_autocheckpoint: 0 });
    const insert = db.prepare("INSERT INTO t (v) VALUES (?)");
    // Well past the 1000 pages at which the serving connection would have checkpointed itself.
    for (let i = 0; i < 3000; i++) insert.run("x".repeat(2000));
    await until(() => checkpointer.last.log > 1000 && checkpointer.last.checkpointed === checkpointer.last.log, "a whole WAL checkpointed");
    // The thread copied the WAL into the database file itself: the rows are in it.
    expect((await stat(path)).size).toBeGreaterThan(3000 * 2000);
    await checkpointer.stop();
    db.close();
    expect(logged).toEqual([]);
  });
});
