import type { Server, Socket } from "node:net";

export interface TcpListener extends AsyncDisposable {
  readonly host: string;
  readonly port: number;
  /** The server it listens with (a TLS one takes a renewed certificate through `setSecureContext`). */
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * Binds `server` and resolves once it listens. `close` stops accepting, calls `beforeClose`,
 * then destroys every socket the server accepted, so nothing outlives the listener.
 */
export function listenTcp(
  server: Server,
  options: { readonly host: string; readonly port: number },
  beforeClose: () => void = () => undefined,
): Promise<TcpListener> {
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
      resolve({ host: options.host, port, server, close, [Symbol.asyncDispose]: close });
    });
  });
}
