import type { LiveConnection } from "../live-connection.ts";
import { requireUser, type OpRequest, type OpResult } from "./op-types.ts";

export async function opLogout(conn: LiveConnection, _req: OpRequest<"logout">): OpResult {
  await requireUser(conn);
  await conn.realm.store.sessions.revoke(conn.session?.token ?? "");
  conn.unbind();
  return {};
}
