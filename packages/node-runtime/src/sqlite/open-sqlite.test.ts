import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDatabase } from "./open-sqlite.ts";

const MIGRATIONS = [
  "CREATE TABLE a(x INTEGER)",
  "CREATE TABLE b(y TEXT); INSERT INTO b SELECT 'from a ' || x FROM a",
  "ALTER TABLE b ADD COLUMN z INTEGER",
];

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe("openSqliteDatabase", () => {
  it("keeps a copy of an older database, named with its version, before upgrading it; none of a new or current one", () => {
    dir = mkdtempSync(join(tmpdir(), "open-sqlite-"));
    const fresh = openSqliteDatabase(dir, "t.db", MIGRATIONS.slice(0, 1), "create");
    expect(fresh.backup).toBeUndefined();
    fresh.db.exec("INSERT INTO a VALUES (7)");
    fresh.db.close();

    const upgraded = openSqliteDatabase(dir, "t.db", MIGRATIONS.slice(0, 2), "create");
    expect(upgraded.backup).toBe(join(dir, "t.db.v1.bak"));
    expect(upgraded.db.prepare("SELECT y FROM b").all()).toEqual([{ y: "from a 7" }]);
    upgraded.db.close();
    const copy = new DatabaseSync(join(dir, "t.db.v1.bak"), { readOnly: true });
    expect(copy.prepare("PRAGMA user_version").get()).toEqual({ user_version: 1 });
    expect(copy.prepare("SELECT x FROM a").all()).toEqual([{ x: 7 }]);
    expect(copy.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").all()).toEqual([]);
    copy.close();
    expect(statSync(join(dir, "t.db.v1.bak")).mode & 0o777).toBe(0o600);

    const current = openSqliteDatabase(dir, "t.db", MIGRATIONS.slice(0, 2), "create");
    expect(current.backup).toBeUndefined();
    current.db.close();
    // A copy left by an earlier attempt at the same upgrade is kept, and this one goes beside it.
    writeFileSync(join(dir, "t.db.v2.bak"), "an earlier attempt's copy");
    const again = openSqliteDatabase(dir, "t.db", MIGRATIONS, "create");
    expect(again.backup).toBe(join(dir, "t.db.v2.2.bak"));
    again.db.close();
    expect(readFileSync(join(dir, "t.db.v2.bak"), "utf8")).toBe("an earlier attempt's copy");
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith(".bak"))
        .sort(),
    ).toEqual(["t.db.v1.bak", "t.db.v2.2.bak", "t.db.v2.bak"]);
  });
});
