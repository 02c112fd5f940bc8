import { join } from "node:path";
import type { Command } from "commander";
import { loadBridgeConfig, type BridgeConfig } from "../../bridge-config.ts";
import { BridgeConfigError } from "../../errors.ts";
import { BRIDGE_DEFAULTS, startPeerBridge } from "../../start-peer-bridge.ts";
import {
  addLogOptions,
  createProcessLogger,
  describeError,
  logUnhandledFailures,
  parseMs,
  parsePort,
  parseSeconds,
  withMetricsPort,
  type LogFormat,
  type LogLevel,
} from "@realmchat/node-runtime";
import { collectEndpoint, collectPeerAddress } from "../options.ts";

interface RunOptions {
  readonly config: string;
  readonly dataDir: string | undefined;
  readonly expiry: number;
  readonly listenHost: string | undefined;
  readonly listenPort: number | undefined;
  readonly realmPort: number | undefined;
  readonly realmInstance: ReadonlyArray<{ host: string; port: number }> | undefined;
  readonly peer: ReadonlyMap<string, { host: string; port: number }> | undefined;
  readonly heartbeat: number;
  readonly maxBackoff: number;
  readonly tap: number | undefined;
  readonly metricsPort: number | undefined;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

/** Flags override the config file (the test harness uses them to wire up free ports). */
function withOverrides(config: BridgeConfig, options: RunOptions): BridgeConfig {
  const peers = options.peer ?? new Map<string, { host: string; port: number }>();
  for (const realm of peers.keys()) {
    if (!config.peers.some((p) => p.realm === realm))
      throw new BridgeConfigError(options.config, `--peer names '${realm}', which is not a configured peer`);
  }
  return {
    ...config,
    listen: { host: options.listenHost ?? config.listen.host, port: options.listenPort ?? config.listen.port },
    realmServer: {
      ...config.realmServer,
      port: options.realmPort ?? config.realmServer.port,
      otherInstances: options.realmInstance ?? config.realmServer.otherInstances,
    },
    peers: config.peers.map((p) => ({ ...p, address: peers.get(p.realm) ?? p.address })),
  };
}

export function registerRun(program: Command): void {
  addLogOptions(program.command("run", { isDefault: true }))
    .description("run the bridge of one realm (the default command)")
    .requiredOption("-c, --config <file>", "bridge config file (JSON)")
    .option("-d, --data-dir <dir>", "folder of the bridge's SQLite queue (default: ./data/bridge-<realm>)")
    .option(
      "--expiry <seconds>",
      "give up on a queued message after this long and tell its sender",
      parseSeconds,
      BRIDGE_DEFAULTS.expiryMs / 1000,
    )
    .option("--listen-host <address>", "address peer bridges link to (default: config's listen.host)")
    .option("--listen-port <port>", "port peer bridges link to; 0 picks a free one (default: config's listen.port)", parsePort)
    .option("--realm-port <port>", "federation port of this realm's server (default: config's realmServer.port)", parsePort)
    .option(
      "--realm-instance <host:port>",
      "another instance of this realm's server, tried in turn (repeatable; overrides config's realmServer.otherInstances)",
      collectEndpoint,
    )
    .option("--peer <realm=host:port>", "where to dial a peer bridge (repeatable; overrides the config)", collectPeerAddress)
    .option("--heartbeat <ms>", "ping period; a link silent for three periods is dropped", parseMs, BRIDGE_DEFAULTS.heartbeatMs)
    .option("--max-backoff <ms>", "longest wait between redials", parseMs, BRIDGE_DEFAULTS.backoffMaxMs)
    .option(
      "--tap <port>",
      "publish every frame this bridge sends and receives, secrets masked, at ws://127.0.0.1:<port>/tap (docs/design/tap.md); " +
        "0 picks a free port",
      parsePort,
    )
    .option(
      "--metrics-port <port>",
      "serve /metrics, /healthz and /readyz on this port (on config's metrics.host, else 127.0.0.1); 0 picks a free one " +
        "(default: config's metrics.port; off without either)",
      parsePort,
    )
    .action(async (options: RunOptions) => {
      const config = withMetricsPort(withOverrides(await loadBridgeConfig(options.config), options), options.metricsPort);
      const logger = createProcessLogger({ role: "bridge", name: config.realm, level: options.logLevel, format: options.logFormat });
      logUnhandledFailures(logger);
      const dataDir = options.dataDir ?? join("data", `bridge-${config.realm}`);
      const running = await startPeerBridge({
        config,
        dataDir,
        logger,
        heartbeatMs: options.heartbeat,
        backoffMaxMs: options.maxBackoff,
        expiryMs: options.expiry * 1000,
        ...(options.tap === undefined ? {} : { tapPort: options.tap }),
      });
      logger.info("queue", { data: join(dataDir, "bridge.db") });
      // The harness reads this line to learn the port chosen with port 0.
      if (running.tap !== undefined) process.stdout.write(`bridge ${config.realm} tap on ws://127.0.0.1:${running.tap.port}/tap\n`);
      const metrics = running.metricsListener;
      if (metrics !== undefined) process.stdout.write(`bridge ${config.realm} metrics on http://${metrics.host}:${metrics.port}\n`);
      process.stdout.write(`bridge ${config.realm} listening on ${running.host}:${running.port}\n`);
      const stop = (signal: string): void => {
        logger.info("stopping", { signal });
        running.close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error("stopping failed", { error: describeError(err) });
            process.exit(1);
          },
        );
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      // SIGHUP reads the config again: new peers and a renewed certificate are taken on, the rest is listed.
      const reload = async (): Promise<void> => {
        const done = await running.reload(withOverrides(await loadBridgeConfig(options.config), options));
        logger.info("config read again", {
          applied: done.applied.join("; ") || "nothing new",
          needs_restart: done.needsRestart.join("; ") || undefined,
        });
      };
      process.on("SIGHUP", () =>
        reload().catch((err: unknown) => logger.error("config not read again; running on as before", { error: describeError(err) })),
      );
    });
}
