import { closeSync, existsSync, openSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";

/** Owner only: the copy holds what the database holds (password hashes, inboxes, queued messages). */
const PRIVATE_FILE = 0o600;

/**
 * Copies a database as it is, at schema `version`, beside it before it is migrated:
 * `<file>.v<version>.bak` (`.v<version>.2.bak` and so on when that name is taken, by an earlier
 * attempt). `VACUUM INTO` writes one consistent snapshot, WAL included. Returns the copy's path.
 */
export function backupBeforeMigration(db: DatabaseSync, path: string, version: number): string {
  let target = `${path}.v${version}.bak`;
  for (let n = 2; existsSync(target); n++) target = `${path}.v${version}.${n}.bak`;
  closeSync(openSync(target, "wx", PRIVATE_FILE));
  db.prepare("VACUUM INTO ?").run(target);
  return target;
}
