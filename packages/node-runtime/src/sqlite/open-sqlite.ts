import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { silentLogger, type Logger } from "../logger.ts";
import { backupBeforeMigration } from "./migration-backup.ts";
import { applyMigrations, schemaVersion, type Migrations } from "./migrations.ts";

export interface OpenedDatabase {
  readonly path: string;
  readonly db: DatabaseSync;
  /** The copy made before its schema was upgraded, if it was. */
  readonly backup: string | undefined;
}

/** Only the process that serves the data creates it; every other command opens what exists. */
export type OpenMode = "create" | "existing";

/** A command other than the server's own was pointed at a folder with no database in it. */
export class DatabaseMissingError extends Error {
  readonly code = "DATABASE_MISSING";
  readonly path: string;

  constructor(path: string) {
    super(`no database at ${path}: only the server creates one (is this the folder it runs with?)`);
    this.name = "DatabaseMissingError";
    this.path = path;
  }
}

/** Owner only: the folder and the database hold password hashes, inboxes and queued messages. */
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Opens `<dataDir>/<file>` the one way every process of the system keeps its data: WAL with
 * `synchronous = FULL` (a commit survives a power cut), a busy timeout for the backup tool, and
 * the schema migrated to the newest version, a copy of an older one kept beside it first
 * (backupBeforeMigration). With `create` the folder and the file are made if missing; either way
 * they are readable by their owner only (SQLite gives its -wal and -shm files the database file's mode).
 */
export function openSqliteDatabase(
  dataDir: string,
  file: string,
  migrations: Migrations,
  mode: OpenMode,
  logger: Logger = silentLogger,
): OpenedDatabase {
  const path = join(dataDir, file);
  if (!existsSync(path)) {
    if (mode === "existing") throw new DatabaseMissingError(resolve(path));
    mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR });
    closeSync(openSync(path, "a", PRIVATE_FILE));
  }
  chmodSync(dataDir, PRIVATE_DIR);
  chmodSync(path, PRIVATE_FILE);
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000");
  const version = schemaVersion(db);
  const backup = version > 0 && version < migrations.length ? backupBeforeMigration(db, path, version) : undefined;
  applyMigrations(db, migrations);
  if (backup !== undefined)
    logger.info("schema upgraded; the database as it was is kept", { from: version, to: migrations.length, backup });
  return { path, db, backup };
}
