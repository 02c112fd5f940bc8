import { connect } from "node:net";
import { join } from "node:path";
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
export function askRealm(dataDir: string, request: AdminRequest, timeoutMs = 5000): Promise<AdminReply> {
  return new Promise((resolve, reject) => {
    const socket = connect(join(dataDir, ADMIN_SOCKET_FILE));
    let text = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the realm on ${dataDir} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(JSON.stringify(request) + "\n"));
    socket.on("data", (chunk: string) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end === -1) return;
      clearTimeout(timer);
      socket.end();
      resolve(JSON.parse(text.slice(0, end)) as AdminReply);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === "ENOENT" || err.code === "ECONNREFUSED" ? new RealmNotRunningError(dataDir, { cause: err }) : err);
    });
  });
}
