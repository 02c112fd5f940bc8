import type { SqlDatabase } from "./sql-database.ts";

/** Schema steps in order; step i takes a database from version i to version i + 1. */
export type Migrations = readonly string[];

export class SchemaTooNewError extends Error {
  override readonly name = "SchemaTooNewError";
  readonly found: number;
  readonly known: number;
  constructor(found: number, known: number) {
    super(`database schema version ${found} is newer than this program knows (${known}); refusing to open it`);
    this.found = found;
    this.known = known;
  }
}

/**
 * Brings a database up to the newest schema, one step per transaction, recording the version in
 * `PRAGMA user_version`. An older file opens and is upgraded; a newer one is refused.
 */
export function applyMigrations(db: SqlDatabase, migrations: Migrations, upTo = migrations.length): number {
  const current = schemaVersion(db);
  if (current > migrations.length) throw new SchemaTooNewError(current, migrations.length);
  for (let version = current; version < upTo; version++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(migrations[version] as string);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec("COMMIT");
    } catch (err) {
      db.exec("ROLLBACK");
      throw err;
    }
  }
  return Math.max(current, upTo);
}

/** The schema version a database is at (0: a new, empty one). */
export function schemaVersion(db: SqlDatabase): number {
  return Number(db.prepare("PRAGMA user_version").get()?.user_version ?? 0);
}
