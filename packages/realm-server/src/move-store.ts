import { DatabaseSync } from "node:sqlite";
import { join } from "node:path";
import pg from "pg";
import { PgRealmStore } from "./store/postgres/pg-realm-store.ts";
import { REALM_DB_FILE, SqliteRealmStore } from "./store/sqlite/sqlite-realm-store.ts";

/**
 * One table as it moves: its columns in SQLite and, where the name differs, in PostgreSQL; the
 * PostgreSQL sequence of a BIGSERIAL column it fills, which must then go on after the largest.
 */
interface MovedTable {
  readonly table: string;
  readonly columns: readonly (string | readonly [sqlite: string, postgres: string])[];
  readonly order: string;
  readonly sequence?: string;
}

/** Every table of a realm's data; PostgreSQL's cluster tables (instances, their log) start empty. */
const TABLES: readonly MovedTable[] = [
  { table: "users", columns: ["username", "display_name", "password_hash"], order: "username" },
  { table: "seeded_users", columns: ["username"], order: "username" },
  { table: "sessions", columns: ["token_hash", "username", "last_seen"], order: "token_hash" },
  {
    table: "inbox",
    columns: ["seq", "recipient", "id", "sender", "sender_name", "recipient_name", "body", "sent_at"],
    order: "seq",
    sequence: "seq",
  },
  { table: "groups", columns: ["name", "created_by", "created_at", "merged_into", "merge_pending"], order: "name" },
  // Members keep the order they joined in (PostgreSQL numbers them; SQLite kept the time).
  { table: "group_members", columns: ["group_name", ["username", "member"]], order: "joined_at, rowid" },
  {
    table: "group_history",
    columns: ["seq", "group_name", "kind", ["user", "username"], "realm", "body", "ts", "eid"],
    order: "seq",
    sequence: "seq",
  },
  { table: "relayed", columns: ["origin", "id", "outcome", "received_at"], order: "origin, id" },
  { table: "outbox", columns: ["seq", "id", "entry"], order: "seq", sequence: "seq" },
  { table: "awaited_delivery", columns: ["id", "sender", "recipient", "at"], order: "id" },
  { table: "read_markers", columns: ["username", "conversation", "ts"], order: "username, conversation" },
];

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const ROWS_PER_INSERT = 500;

export class MoveStoreError extends Error {
  override readonly name = "MoveStoreError";
  readonly code = "MOVE_STORE";
}

const sqliteName = (c: MovedTable["columns"][number]): string => (typeof c === "string" ? c : c[0]);
const postgresName = (c: MovedTable["columns"][number]): string => (typeof c === "string" ? c : c[1]);

/** SQLite keeps booleans as 0/1; PostgreSQL's merge_pending is a boolean. */
function toPostgres(table: string, column: string, value: unknown): unknown {
  return table === "groups" && column === "merge_pending" ? value === 1 || value === 1n : value;
}

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
    for (const t of TABLES) counts[t.table] = await moveTable(source, target, t);
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

async function moveTable(source: DatabaseSync, target: pg.Client, t: MovedTable): Promise<number> {
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
