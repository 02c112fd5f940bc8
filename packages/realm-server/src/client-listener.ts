import { createServer, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { listenTcp, type StreamObserver, type TcpListener, type TlsIdentity } from "@realmchat/node-runtime";
import { encodeClassicReply, errorReply } from "@realmchat/protocol";
import { ConnectionGate } from "./connections/connection-gate.ts";
import type { Realm } from "./realm.ts";

/** Written to a connection over the limits: a classic error reply, which a live client also reads as one line. */
const TOO_MANY = encodeClassicReply(errorReply("TOO_MANY_CONNECTIONS"));

/**
 * Accepts TCP clients and hands each socket to the realm, within the connection limits (in all
 * and per address); a connection over them is told so and closed.
 */
export function listenClients(
  realm: Realm,
  options: {
    readonly host: string;
    readonly port: number;
    readonly tls?: TlsIdentity | undefined;
    /** Shown each admitted connection's stream (the tap, with `--tap`). */
    readonly observe?: StreamObserver | undefined;
  },
): Promise<TcpListener> {
  const gate = new ConnectionGate(realm.limits, realm.meter);
  const warn = setInterval(() => {
    if (gate.refused === 0) return;
    realm.logger.warn("connections refused at the limits", { refused: gate.refused });
    gate.refused = 0;
  }, 10_000);
  warn.unref();
  const accept = (socket: Socket): void => {
    const address = socket.remoteAddress ?? "unknown";
    if (!gate.admit(address)) {
      socket.on("error", () => undefined);
      socket.end(TOO_MANY);
      setTimeout(() => socket.destroy(), 1000).unref();
      return;
    }
    socket.on("close", () => gate.release(address));
    socket.setNoDelay(true);
    const peer = `${address}:${socket.remotePort}`;
    options.observe?.(socket, { local: realm.name, remote: peer });
    realm.handle(socket, peer);
  };
  // The realm serves any stream: over TLS it is handed the decrypted one.
  const server =
    options.tls === undefined ? createServer(accept) : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, accept);
  return listenTcp(server, options, () => {
    clearInterval(warn);
    realm.close();
  });
}
