import { createServer, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import {
  FederationLink,
  listenTcp,
  type FlushScheduler,
  type LinkHandler,
  type Logger,
  type StreamObserver,
  type TcpListener,
  type TlsIdentity,
} from "@realmchat/node-runtime";

export interface FederationListenOptions {
  readonly realm: string;
  readonly host: string;
  readonly port: number;
  readonly secret: string;
  /** Where the frames of an authenticated link go (the realm's federation). */
  readonly handler: LinkHandler;
  readonly scheduler: FlushScheduler;
  readonly logger: Logger;
  /** A link that hears nothing, not even a ping, for this long is closed. */
  readonly idleTimeoutMs?: number;
  /** Shown each link's stream (the tap, with `--tap`). */
  readonly observe?: StreamObserver | undefined;
  /** With a certificate the bridge links in over TLS only, pinning its fingerprint (a bridge on another machine). */
  readonly tls?: TlsIdentity | undefined;
}

const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * The realm's federation port: only its own bridge, authenticated with the shared secret, may
 * link here. It is a separate port so that no client connection can ever carry federation frames.
 */
export function listenFederation(options: FederationListenOptions): Promise<TcpListener> {
  const idle = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  const accept = (socket: Socket): void => {
    socket.setNoDelay(true);
    options.observe?.(socket, { local: options.realm, remote: `bridge-${options.realm}`, link: "federation" });
    new FederationLink(socket, {
      self: options.realm,
      role: { kind: "acceptor", secretFor: (realm) => (realm === options.realm ? options.secret : undefined) },
      handler: options.handler,
      scheduler: options.scheduler,
      logger: options.logger,
      label: `${socket.remoteAddress}:${socket.remotePort}`,
      subject: "bridge link",
      // Silent for three heartbeats means gone, as the bridge itself judges its links.
      heartbeatMs: Math.max(10, Math.floor(idle / 3)),
      handshakeTimeoutMs: idle,
    });
  };
  const server =
    options.tls === undefined ? createServer(accept) : createTlsServer({ cert: options.tls.cert, key: options.tls.key }, accept);
  return listenTcp(server, options);
}
