import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { SqliteRealmStore } from "../../src/store/sqlite/sqlite-realm-store.ts";

/** A folder for one test's realm data, removed when the test ends. */
export function temporaryDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "realm-test-"));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The store the shipped server uses, in a folder of its own that goes with the test. */
export function temporarySqliteStore(sessionIdleMs = 60_000): SqliteRealmStore {
  const store = SqliteRealmStore.open(temporaryDataDir(), { sessionIdleMs, open: "create" });
  onTestFinished(() => store.close());
  return store;
}
