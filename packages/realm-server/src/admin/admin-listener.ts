import { join } from "node:path";
import { listenAdminSocket, type AdminSocket, type Logger } from "@realmchat/node-runtime";
import { ADMIN_SOCKET_FILE, decodeAdminRequest, type AdminReply } from "./admin-protocol.ts";
import type { RealmAdmin } from "./realm-admin.ts";

export type AdminListener = AdminSocket;

/**
 * Listens on `<dataDir>/admin.sock` (README, "Operating a realm"), owner only: whoever can reach
 * it can manage the realm's users. A line that is no request is answered with the reason.
 */
export function listenAdmin(dataDir: string, admin: RealmAdmin, logger: Logger): Promise<AdminListener> {
  return listenAdminSocket(
    join(dataDir, ADMIN_SOCKET_FILE),
    async (line): Promise<AdminReply> => {
      const request = decodeAdminRequest(line);
      return typeof request === "string" ? { ok: false, message: request } : admin.serve(request);
    },
    logger,
  );
}
