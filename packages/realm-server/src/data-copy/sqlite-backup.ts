import { closeSync, existsSync, openSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { RealmConfigError } from "../errors.ts";
import { REALM_DB_FILE } from "../store/sqlite/sqlite-realm-store.ts";

/**
 * A consistent copy of a realm's database, safe while the server runs: SQLite's `VACUUM INTO`
 * reads one snapshot through the WAL, unlike copying realm.db (and its -wal file) by hand.
 */
export function backupRealmDatabase(dataDir: string, target: string): void {
  const source = join(dataDir, REALM_DB_FILE);
  if (!existsSync(source)) throw new RealmConfigError(source, "no realm database here");
  if (existsSync(target)) throw new RealmConfigError(target, "the backup file already exists");
  // Made empty first, owner only: the copy holds the password hashes and inboxes too.
  closeSync(openSync(target, "wx", 0o600));
  const db = new DatabaseSync(source, { readOnly: true });
  try {
    db.prepare("VACUUM INTO ?").run(target);
  } finally {
    db.close();
  }
}
