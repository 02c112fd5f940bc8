import { createServer, type Socket } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { join } from "node:path";
import {
  describeError,
  listenAdminSocket,
  listenTcp,
  loadTlsIdentity,
  startProcessTap,
  type Logger,
  type ProcessTap,
  type TcpListener,
} from "@realmchat/node-runtime";
import { BridgeMetrics } from "./bridge-metrics.ts";
import type { BridgeConfig } from "./bridge-config.ts";
import { BridgeStore } from "./bridge-store.ts";
import { reloadBridge, type BridgeReload } from "./bridge-reload.ts";
import { answerBridgeAdmin, BRIDGE_ADMIN_SOCKET_FILE } from "./bridge-status.ts";
import { PeerBridge } from "./peer-bridge.ts";

export interface PeerBridgeRunOptions {
  readonly config: BridgeConfig;
  /** Folder of the bridge's SQLite file (its queues and the peers' directories). */
  readonly dataDir: string;
  readonly logger: Logger;
  readonly expiryMs?: number;
  readonly heartbeatMs?: number;
  readonly handshakeTimeoutMs?: number;
  readonly backoffInitialMs?: number;
  readonly backoffMaxMs?: number;
  readonly window?: number;
  /** Record every frame and serve it at ws://127.0.0.1:<tapPort>/tap (docs/design/tap.md); 0 picks a free port. */
  readonly tapPort?: number;
}

export interface RunningPeerBridge extends AsyncDisposable {
  readonly bridge: PeerBridge;
  readonly host: string;
  readonly port: number;
  /** The tap, when `tapPort` was given. */
  readonly tap: ProcessTap | undefined;
  /** /metrics, /healthz and /readyz (config `metrics`). */
  readonly metricsListener: TcpListener | undefined;
  /** Takes on what of `next` can change while running (SIGHUP): new peers, a renewed certificate. */
  reload(next: BridgeConfig): Promise<BridgeReload>;
  close(): Promise<void>;
}

export const BRIDGE_DEFAULTS = {
  heartbeatMs: 5000,
  handshakeTimeoutMs: 5000,
  backoffInitialMs: 200,
  backoffMaxMs: 10_000,
  window: 4096,
  expiryMs: 3 * 24 * 60 * 60 * 1000,
  /** The queue's WAL is checkpointed this often, in its own thread (docs/design/durability.md, "Checkpoints"). */
  checkpointEveryMs: 500,
} as const;

/** Listens for peer bridges and starts dialing the realm server and the peers it dials. */
export async function startPeerBridge(options: PeerBridgeRunOptions): Promise<RunningPeerBridge> {
  const metricsAt = options.config.metrics;
  const metrics = metricsAt === undefined ? undefined : new BridgeMetrics(options.config.realm, metricsAt);
  const store = BridgeStore.open(options.dataDir, options.logger, BRIDGE_DEFAULTS.checkpointEveryMs, metrics?.observeCommit);
  const tap = options.tapPort === undefined ? undefined : await startProcessTap(`bridge-${options.config.realm}`, options.tapPort);
  const bridge = new PeerBridge({
    config: options.config,
    store,
    expiryMs: options.expiryMs ?? BRIDGE_DEFAULTS.expiryMs,
    logger: options.logger,
    heartbeatMs: options.heartbeatMs ?? BRIDGE_DEFAULTS.heartbeatMs,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? BRIDGE_DEFAULTS.handshakeTimeoutMs,
    backoff: {
      initialMs: options.backoffInitialMs ?? BRIDGE_DEFAULTS.backoffInitialMs,
      maxMs: options.backoffMaxMs ?? BRIDGE_DEFAULTS.backoffMaxMs,
    },
    window: options.window ?? BRIDGE_DEFAULTS.window,
    ...(tap === undefined ? {} : { observe: tap.observe }),
  });
  const tls = options.config.tls === undefined ? undefined : await loadTlsIdentity(options.config.tls);
  const accept = (socket: Socket): void => bridge.acceptPeer(socket);
  // With a certificate, peers link in over TLS only (they pin its fingerprint).
  const tlsServer = tls === undefined ? undefined : createTlsServer({ cert: tls.cert, key: tls.key }, accept);
  const server = tlsServer ?? createServer(accept);
  const listener = await listenTcp(server, options.config.listen);
  bridge.start();
  metrics?.watch(bridge);
  const metricsListener = await metrics?.listen(BridgeMetrics.readiness(bridge), options.logger);
  // `peer-bridge status` asks here (owner only, as the realm's admin socket). Without it (a data
  // folder whose path is too long for a socket, say) the bridge still carries messages.
  const admin = await listenAdminSocket(
    join(options.dataDir, BRIDGE_ADMIN_SOCKET_FILE),
    async (line) => answerBridgeAdmin(line, () => bridge.status()),
    options.logger,
  ).catch((err: unknown) => {
    options.logger.warn("no admin socket: peer-bridge status will not answer", { error: describeError(err) });
    return undefined;
  });
  const close = async (): Promise<void> => {
    bridge.stop();
    await admin?.close();
    await metricsListener?.close();
    await listener.close();
    await store.close();
    await tap?.close();
  };
  let running = options.config;
  const reload = async (next: BridgeConfig): Promise<BridgeReload> => {
    const done = await reloadBridge(running, next, {
      addPeer: (peer) => bridge.addPeer(peer),
      ...(tlsServer === undefined ? {} : { setSecureContext: (context) => tlsServer.setSecureContext(context) }),
    });
    running = done.running;
    return done;
  };
  return { bridge, host: listener.host, port: listener.port, tap, metricsListener, reload, close, [Symbol.asyncDispose]: close };
}
