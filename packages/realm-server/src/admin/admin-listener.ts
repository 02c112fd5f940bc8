import { chmod, mkdir, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { LineDecoder, type FrameError } from "@realmchat/protocol";
import { describeError, type Logger } from "@realmchat/node-runtime";
import { ADMIN_SOCKET_FILE, decodeAdminRequest, type AdminReply } from "./admin-protocol.ts";
import type { RealmAdmin } from "./realm-admin.ts";

export interface AdminListener {
  readonly path: string;
  close(): Promise<void>;
}

/** An admin request line is small; anything longer is not one. */
const MAX_ADMIN_LINE = 64 * 1024;

function serveConnection(socket: Socket, admin: RealmAdmin, logger: Logger): void {
  const reply = (r: AdminReply): void => {
    socket.write(JSON.stringify(r) + "\n");
  };
  let queue = Promise.resolve();
  const decoder = new LineDecoder({ maxFrameBytes: MAX_ADMIN_LINE });
  const sink = {
    onLine(line: string): void {
      const request = decodeAdminRequest(line);
      // One request at a time, answered in order.
      queue = queue.then(async () => {
        if (typeof request === "string") return reply({ ok: false, message: request });
        try {
          reply(await admin.serve(request));
        } catch (err) {
          logger.error("admin request failed", { op: request.op, error: describeError(err) });
          reply({ ok: false, message: `failed: ${(err as Error).message}` });
        }
      });
    },
    onFrameError(error: FrameError): void {
      reply({ ok: false, message: error.message });
      socket.end();
    },
  };
  socket.on("data", (chunk: Buffer) => decoder.push(chunk, sink));
  socket.on("error", () => socket.destroy());
}

/**
 * Listens on `<dataDir>/admin.sock` (README, "Operating a realm"). The socket file is made
 * readable by its owner only: whoever can reach it can manage the realm's users.
 */
export async function listenAdmin(dataDir: string, admin: RealmAdmin, logger: Logger): Promise<AdminListener> {
  const path = join(dataDir, ADMIN_SOCKET_FILE);
  // With the data in PostgreSQL, nothing else has made the folder.
  await mkdir(dataDir, { recursive: true });
  // A socket file left by a realm that was killed would refuse the new listener.
  await rm(path, { force: true });
  const server: Server = createServer((socket) => serveConnection(socket, admin, logger));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve();
    });
  });
  await chmod(path, 0o600);
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
      }),
  };
}
