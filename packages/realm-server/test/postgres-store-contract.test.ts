import { PgRealmStore } from "../src/store/postgres/pg-realm-store.ts";
import { realmStoreContract } from "./store-contract.ts";
import { postgresForThisFile } from "./support/embedded-postgres.ts";

const server = postgresForThisFile();
let databases = 0;

realmStoreContract("PostgreSQL", async () => {
  const url = await server.createDatabase(`contract_${++databases}`);
  return { open: async (now) => PgRealmStore.open(url, { sessionIdleMs: 60 * 60 * 1000, ...(now === undefined ? {} : { now }) }) };
});
