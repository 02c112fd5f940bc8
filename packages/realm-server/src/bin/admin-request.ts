import { askRealm, RealmNotRunningError } from "../admin/admin-client.ts";
import type { AdminReply, AdminRequest } from "../admin/admin-protocol.ts";
import { RealmAdmin } from "../admin/realm-admin.ts";
import { PgRealmStore } from "../store/postgres/pg-realm-store.ts";
import { SqliteRealmStore } from "../store/sqlite/sqlite-realm-store.ts";
import { realmLocationOf, type RealmLocationFlags } from "./realm-location.ts";

/** Asks the running realm; if none runs on that folder, the request is served from its store directly. */
export async function performAdminRequest(flags: RealmLocationFlags, request: AdminRequest): Promise<AdminReply> {
  const { dataDir, storeUrl } = await realmLocationOf(flags);
  try {
    return await askRealm(dataDir, request);
  } catch (err) {
    if (!(err instanceof RealmNotRunningError)) throw err;
  }
  const store =
    storeUrl === undefined
      ? SqliteRealmStore.open(dataDir, { sessionIdleMs: 60_000, open: "existing" })
      : await PgRealmStore.open(storeUrl, { sessionIdleMs: 60_000 });
  try {
    return await new RealmAdmin(store).serve(request);
  } finally {
    await store.close();
  }
}
