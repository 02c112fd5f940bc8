import { afterAll, beforeAll } from "vitest";
import { PgRealmStore } from "../src/store/postgres/pg-realm-store.ts";
import { realmStoreContract } from "./store-contract.ts";
import { startTestPostgres, type TestPostgres } from "./support/embedded-postgres.ts";

let server: TestPostgres;
let databases = 0;
beforeAll(async () => {
  server = await startTestPostgres();
}, 60_000);
afterAll(async () => {
  await server.stop();
});

realmStoreContract("PostgreSQL", async () => {
  const url = await server.createDatabase(`contract_${++databases}`);
  return { open: async (now) => PgRealmStore.open(url, { sessionIdleMs: 60 * 60 * 1000, ...(now === undefined ? {} : { now }) }) };
});
