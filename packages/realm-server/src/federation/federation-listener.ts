import { createServer } from "node:net";
import type { Realm } from "../realm.ts";
import { bindServer, type TcpListener } from "../tcp-listener.ts";
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
  const server = createServer((socket) => {
    socket.setNoDelay(true);
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
  return bindServer(server, options, () => undefined);
}
