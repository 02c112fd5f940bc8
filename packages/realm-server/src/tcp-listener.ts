import { createServer, type Server, type Socket } from "node:net";
import type { Realm } from "./realm.ts";

export interface TcpListener extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Accepts TCP clients and hands each socket to the realm; nothing else lives here. */
export function listenTcp(realm: Realm, options: { readonly host: string; readonly port: number }): Promise<TcpListener> {
  const server: Server = createServer((socket: Socket) => {
    socket.setNoDelay(true);
    realm.handle(socket, `${socket.remoteAddress}:${socket.remotePort}`);
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
          realm.close();
        });
      resolve({ host: options.host, port, close, [Symbol.asyncDispose]: close });
    });
  });
}
