import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import pg from "pg";
import { PgRealmStore } from "../store/postgres/pg-realm-store.ts";
import { REALM_DB_FILE, SqliteRealmStore } from "../store/sqlite/sqlite-realm-store.ts";
import { MoveStoreError, postgresName, REALM_TABLES, sqliteName, toPostgres, type RealmTable } from "./realm-tables.ts";

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const ROWS_PER_INSERT = 500;

/** How many rows of each table moved. */
export type MovedCounts = Readonly<Record<string, number>>;

/**
 * Moves a stopped realm's data from its SQLite file (`<dataDir>/realm.db`) into an empty
 * PostgreSQL database, in one transaction: all of it or, on any failure, nothing (README, "One
 * realm on several servers"). The SQLite file is left as it was. The target's schema is made (or
 * migrated) first; a target that already holds users, messages or groups is refused.
 */
export async function moveStoreToPostgres(dataDir: string, url: string): Promise<MovedCounts> {
  // Opening it as the server would migrates an older file first (keeping a copy, as on start).
  await SqliteRealmStore.open(dataDir, { sessionIdleMs: 60_000, open: "existing" }).close();
  await (await PgRealmStore.open(url, { sessionIdleMs: 60_000 })).close();
  const source = new DatabaseSync(join(dataDir, REALM_DB_FILE), { readOnly: true });
  const target = new pg.Client({ connectionString: url });
  await target.connect();
  try {
    await target.query("BEGIN");
    for (const table of ["users", "inbox", "groups", "outbox"]) {
      const held = Number((await target.query(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
      if (held > 0) throw new MoveStoreError(`the target database is not empty: its ${table} table has ${held} rows`);
    }
    const counts: Record<string, number> = {};
    for (const t of REALM_TABLES) counts[t.table] = await moveTable(source, target, t);
    await target.query("COMMIT");
    return counts;
  } catch (err) {
    await target.query("ROLLBACK");
    throw err;
  } finally {
    await target.end();
    source.close();
  }
}

async function moveTable(source: DatabaseSync, target: pg.Client, t: RealmTable): Promise<number> {
  const rows = source.prepare(`SELECT ${t.columns.map(sqliteName).join(", ")} FROM ${t.table} ORDER BY ${t.order}`).all();
  const names = t.columns.map(postgresName);
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => {
      const slots = t.columns.map((c) => {
        values.push(toPostgres(t.table, postgresName(c), row[sqliteName(c)]));
        return `$${values.length}`;
      });
      return `(${slots.join(", ")})`;
    });
    await target.query(`INSERT INTO ${t.table} (${names.join(", ")}) VALUES ${tuples.join(", ")}`, values);
  }
  if (t.sequence !== undefined && rows.length > 0)
    await target.query(`SELECT setval(pg_get_serial_sequence('${t.table}', '${t.sequence}'), (SELECT max(${t.sequence}) FROM ${t.table}))`);
  const moved = Number((await target.query(`SELECT count(*) AS n FROM ${t.table}`)).rows[0]?.n ?? 0);
  if (moved !== rows.length) throw new MoveStoreError(`${t.table}: ${rows.length} rows read, ${moved} in the target`);
  return moved;
}
