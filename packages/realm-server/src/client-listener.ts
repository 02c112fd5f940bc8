import { createServer, type Socket } from "node:net";
import { listenTcp, type TcpListener } from "@realmchat/node-runtime";
import type { Realm } from "./realm.ts";

/** Accepts TCP clients and hands each socket to the realm; nothing else lives here. */
export function listenClients(realm: Realm, options: { readonly host: string; readonly port: number }): Promise<TcpListener> {
  const server = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    realm.handle(socket, `${socket.remoteAddress}:${socket.remotePort}`);
  });
  return listenTcp(server, options, () => realm.close());
}
