import { createServer } from "node:net";

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a program that takes a port number
 * rather than a listening socket (PostgreSQL, ngircd). Another process could take it first.
 */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}
