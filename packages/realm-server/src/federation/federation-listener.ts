import { createServer, type Socket } from "node:net";
import type { Realm } from "../realm.ts";
import type { TcpListener } from "../tcp-listener.ts";
import { BridgeConnection } from "./bridge-connection.ts";

export interface FederationListenOptions {
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  readonly idleTimeoutMs?: number;
}

/**
 * The realm's federation port: only its own bridge, authenticated with the shared secret, may
 * link here. It is a separate port so that no client connection can ever carry federation frames.
 */
export function listenFederation(realm: Realm, options: FederationListenOptions): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    new BridgeConnection(socket, `${socket.remoteAddress}:${socket.remotePort}`, {
      realm: realm.name,
      secret: options.secret,
      federation: realm.federation,
      scheduler: realm.scheduler,
      logger: realm.logger,
      idleTimeoutMs: options.idleTimeoutMs ?? 30_000,
      maxFrameBytes: 1024 * 1024,
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : options.port;
      const close = (): Promise<void> =>
        new Promise((done) => {
          server.close(() => done());
          for (const socket of sockets) socket.destroy();
        });
      resolve({ host: options.host, port, close, [Symbol.asyncDispose]: close });
    });
  });
}
