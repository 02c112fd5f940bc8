import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { SqliteRealmStore } from "../src/store/sqlite/sqlite-realm-store.ts";
import { realmStoreContract } from "./store-contract.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

realmStoreContract("SQLite", async () => {
  const dir = await mkdtemp(join(tmpdir(), "realm-contract-"));
  dirs.push(dir);
  return {
    open: async (now) =>
      SqliteRealmStore.open(dir, { sessionIdleMs: 60 * 60 * 1000, open: "create", ...(now === undefined ? {} : { now }) }),
  };
});
