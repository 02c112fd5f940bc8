import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { applyMigrations, type Migrations } from "./migrations.ts";

export interface OpenedDatabase {
  readonly path: string;
  readonly db: DatabaseSync;
}

/**
 * Opens `<dataDir>/<file>` the one way every process of the system keeps its data: the folder
 * created if missing, WAL with `synchronous = FULL` (a commit survives a power cut), a busy
 * timeout for the backup tool, and the schema migrated to the newest version.
 */
export function openSqliteDatabase(dataDir: string, file: string, migrations: Migrations): OpenedDatabase {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, file);
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000");
  applyMigrations(db, migrations);
  return { path, db };
}
