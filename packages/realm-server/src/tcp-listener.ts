import { createServer, type Server, type Socket } from "node:net";
import type { Realm } from "./realm.ts";

export interface TcpListener extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Binds `server` and resolves once it listens; `close` stops it and destroys the sockets it
 * accepted (`sockets`, kept by the caller's connection handler) after `beforeClose`.
 */
export function bindServer(server: Server, options: { readonly host: string; readonly port: number }, beforeClose: () => void): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
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
          beforeClose();
          for (const socket of sockets) socket.destroy();
        });
      resolve({ host: options.host, port, close, [Symbol.asyncDispose]: close });
    });
  });
}

/** Accepts TCP clients and hands each socket to the realm; nothing else lives here. */
export function listenTcp(realm: Realm, options: { readonly host: string; readonly port: number }): Promise<TcpListener> {
  const server = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    realm.handle(socket, `${socket.remoteAddress}:${socket.remotePort}`);
  });
  return bindServer(server, options, () => realm.close());
}
