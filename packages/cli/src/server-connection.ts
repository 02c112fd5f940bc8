import { connect, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { ConnectionClosedError } from "./errors.ts";
import type { ServerAddress } from "./server-address.ts";

/**
 * Connects to a realm's client port: plain TCP, or TLS when the address says so, checking the
 * server's certificate against the system's authorities or, with a fingerprint, trusting exactly
 * the certificate that has it (self-signed ones included).
 */
export function openServerConnection(address: ServerAddress): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const where = `${address.host}:${address.port}`;
    const fail = (err: Error): void => reject(new ConnectionClosedError(`cannot connect to ${where}: ${err.message}`, { cause: err }));
    const pin = address.tls?.fingerprint;
    const socket =
      address.tls === undefined
        ? connect(address.port, address.host)
        : connectTls({
            host: address.host,
            port: address.port,
            servername: address.host,
            ...(pin === undefined ? {} : { rejectUnauthorized: false }),
          });
    socket.once("error", fail);
    socket.once(address.tls === undefined ? "connect" : "secureConnect", () => {
      socket.removeAllListeners("error");
      if (pin !== undefined && "getPeerCertificate" in socket && socket.getPeerCertificate().fingerprint256 !== pin.toUpperCase()) {
        socket.destroy();
        fail(new Error(`the server's certificate is not the pinned ${pin}`));
        return;
      }
      resolve(socket);
    });
  });
}
