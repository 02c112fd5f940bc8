import { join } from "node:path";
import { askAdminSocket, NotRunningError } from "@realmchat/node-runtime";
import { ADMIN_SOCKET_FILE, type AdminReply, type AdminRequest } from "./admin-protocol.ts";

/** No realm is running on this data directory (nothing listens on its admin socket). */
export class RealmNotRunningError extends Error {
  override readonly name = "RealmNotRunningError";
  readonly code = "REALM_NOT_RUNNING";
  readonly dataDir: string;
  constructor(dataDir: string, options?: { cause?: unknown }) {
    super(`no realm is running on ${dataDir} (nothing answers on ${join(dataDir, ADMIN_SOCKET_FILE)})`, options);
    this.dataDir = dataDir;
  }
}

/** Sends one request to the realm running on `dataDir` and returns its reply. */
export async function askRealm(dataDir: string, request: AdminRequest, timeoutMs = 5000): Promise<AdminReply> {
  try {
    return (await askAdminSocket(join(dataDir, ADMIN_SOCKET_FILE), "realm", request, timeoutMs)) as AdminReply;
  } catch (err) {
    throw err instanceof NotRunningError ? new RealmNotRunningError(dataDir, { cause: err }) : err;
  }
}
