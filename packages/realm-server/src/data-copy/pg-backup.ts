import { closeSync, existsSync, openSync, rmSync } from "node:fs";
import { DatabaseSync, type SQLInputValue } from "node:sqlite";
import pg from "pg";
import { applyMigrations } from "@realmchat/node-runtime";
import { RealmConfigError } from "../errors.ts";
import { PG_REALM_MIGRATIONS } from "../store/postgres/pg-schema.ts";
import { REALM_MIGRATIONS } from "../store/sqlite/realm-schema.ts";
import type { MovedCounts } from "./move-store.ts";
import { MoveStoreError, postgresName, REALM_TABLES, sqliteName, type RealmTable } from "./realm-tables.ts";

/** Rows fetched at a time from the snapshot: a backup's memory does not grow with the inboxes. */
const ROWS_PER_FETCH = 2000;

/**
 * A consistent backup of a realm kept in PostgreSQL, safe while its instances run: every table of
 * the realm's data read in one `REPEATABLE READ READ ONLY` transaction (one snapshot, nothing
 * locked against writers) into a new SQLite file in the realm's own SQLite schema. No `pg_dump`
 * is needed, nor one of the server's major version. The file restores either way: as
 * `<data dir>/realm.db` it runs a realm on SQLite; `realm-server move-store -d <that folder> --to
 * postgres://…` puts it back into an empty PostgreSQL database (docs/operating.md, "Backup").
 */
export async function backupPostgresRealm(url: string, target: string): Promise<MovedCounts> {
  if (existsSync(target)) throw new RealmConfigError(target, "the backup file already exists");
  const source = new pg.Client({ connectionString: url });
  await source.connect();
  let created = false;
  try {
    await source.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    await checkSchemaVersion(source);
    // Made empty first, owner only: the copy holds the password hashes and inboxes too.
    closeSync(openSync(target, "wx", 0o600));
    created = true;
    const db = new DatabaseSync(target);
    try {
      applyMigrations(db, REALM_MIGRATIONS);
      db.exec("BEGIN");
      const counts: Record<string, number> = {};
      for (const t of REALM_TABLES) counts[t.table] = await copyTable(source, db, t);
      db.exec("COMMIT");
      // Read only: nothing to keep or undo.
      await source.query("ROLLBACK");
      return counts;
    } finally {
      db.close();
    }
  } catch (err) {
    if (created) rmSync(target, { force: true });
    throw err;
  } finally {
    // After a failure this also ends the snapshot's transaction.
    await source.end();
  }
}

/** The tables are read as this version's schema has them: an older or newer database is refused, with what to do. */
async function checkSchemaVersion(source: pg.Client): Promise<void> {
  const known = (await source.query("SELECT to_regclass('schema_version') IS NOT NULL AS present")).rows[0] as { present: boolean };
  if (!known.present) throw new MoveStoreError("this database holds no realm (it has no schema_version table)");
  const version = Number((await source.query("SELECT version FROM schema_version")).rows[0]?.version ?? 0);
  if (version !== PG_REALM_MIGRATIONS.length)
    throw new MoveStoreError(
      `the realm's schema is version ${version}, this realm-server's ${PG_REALM_MIGRATIONS.length}: ` +
        "back it up with the realm-server version its instances run",
    );
}

async function copyTable(source: pg.Client, db: DatabaseSync, t: RealmTable): Promise<number> {
  const pgColumns = t.columns.map(postgresName);
  const sqliteColumns = t.columns.map(sqliteName);
  // PostgreSQL keeps members' join order as a number, not a time: it stands in for the time.
  const joinOrder = t.table === "group_members";
  const insert = db.prepare(
    `INSERT INTO ${t.table} (${[...sqliteColumns, ...(joinOrder ? ["joined_at"] : [])].join(", ")}) ` +
      `VALUES (${[...sqliteColumns, ...(joinOrder ? ["joined_at"] : [])].map(() => "?").join(", ")})`,
  );
  const selected = [...pgColumns, ...(joinOrder ? ["seq"] : [])];
  await source.query(
    `DECLARE realm_rows NO SCROLL CURSOR FOR SELECT ${selected.join(", ")} FROM ${t.table} ORDER BY ${t.pgOrder ?? t.order}`,
  );
  let copied = 0;
  for (;;) {
    const { rows } = await source.query(`FETCH ${ROWS_PER_FETCH} FROM realm_rows`);
    if (rows.length === 0) break;
    for (const row of rows as Record<string, unknown>[]) insert.run(...selected.map((c) => toSqlite(row[c])));
    copied += rows.length;
  }
  await source.query("CLOSE realm_rows");
  const written = Number((db.prepare(`SELECT count(*) AS n FROM ${t.table}`).get() as { n: number }).n);
  if (written !== copied) throw new MoveStoreError(`${t.table}: ${copied} rows read, ${written} in the backup`);
  return written;
}

/** pg gives BIGINT as text (SQLite's INTEGER columns take it back as a number) and booleans as booleans. */
function toSqlite(value: unknown): SQLInputValue {
  if (typeof value === "boolean") return value ? 1 : 0;
  return value as SQLInputValue;
}
