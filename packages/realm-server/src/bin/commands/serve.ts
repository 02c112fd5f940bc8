import { join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import {
  addLogOptions,
  createProcessLogger,
  describeError,
  logUnhandledFailures,
  parsePort,
  parsePositiveInt,
  parseSeconds,
  withMetricsPort,
  type LogFormat,
  type LogLevel,
} from "@realmchat/node-runtime";
import { defaultDataDir, loadRealmConfig } from "../../realm-config.ts";
import { DEFAULT_LIMITS } from "../../limits.ts";
import { startRealmServer } from "../../start-realm-server.ts";

interface ServeOptions {
  readonly config: string;
  readonly dataDir: string | undefined;
  readonly store: string | undefined;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly sessionIdle: number;
  readonly maxFrameBytes: number;
  readonly groupHistory: number;
  readonly requestsPerSecond: number;
  readonly groupMessagesPerSecond: number;
  readonly maxInbox: number;
  readonly handOffMs: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerAddress: number;
  readonly partialLineTimeout: number;
  readonly loginTimeout: number;
  readonly federationHost: string | undefined;
  readonly federationPort: number | undefined;
  readonly webClient: string | undefined;
  readonly webPort: number | undefined;
  readonly tap: number | undefined;
  readonly metricsPort: number | undefined;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
}

/** A password on the command line shows in `ps` to every user of the machine: it is refused. */
function parseStoreUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError("expected postgres://user@host:port/database");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") throw new InvalidArgumentError("expected a postgres:// URL");
  if (url.password !== "")
    throw new InvalidArgumentError(
      "a password here shows in `ps` to every user of this machine: put it in the config's store URL, PGPASSWORD or ~/.pgpass",
    );
  return value;
}

export function registerServe(program: Command): void {
  addLogOptions(program.command("serve", { isDefault: true }))
    .description("run a realm server (the default command)")
    .requiredOption("-c, --config <file>", "realm config file (JSON: realm name and users)")
    .option(
      "-d, --data-dir <dir>",
      "folder of the realm's SQLite database and admin socket (default: config's dataDir, else ./data/<realm name>)",
    )
    .option(
      "--store <url>",
      "keep the realm's data in PostgreSQL (postgres://user@host:port/database, the password from PGPASSWORD or ~/.pgpass) " +
        "instead of SQLite (default: config's store)",
      parseStoreUrl,
    )
    .option("-H, --host <address>", "address to listen on (default: config's host, else 127.0.0.1)")
    .option("-p, --port <port>", "TCP port for clients; 0 picks a free one (default: config's port, else 8889)", parsePort)
    .option("--session-idle <seconds>", "log a token out after this long unused", parseSeconds, 3600)
    .option("--max-frame-bytes <n>", "largest request line accepted", parsePositiveInt, 65536)
    .option("--group-history <n>", "recent events kept per group and shown to live clients that join", parsePositiveInt, 50)
    .option(
      "--requests-per-second <n>",
      "requests served per second per connection (twice that per user); faster clients are slowed",
      parsePositiveInt,
      DEFAULT_LIMITS.requestsPerSecond,
    )
    .option(
      "--group-messages-per-second <n>",
      "group messages per second per user; faster senders are slowed",
      parsePositiveInt,
      DEFAULT_LIMITS.groupMessagesPerSecond,
    )
    .option(
      "--max-inbox <n>",
      "messages an inbox holds; senders to a full one get INBOX_FULL",
      parsePositiveInt,
      DEFAULT_LIMITS.maxInboxMessages,
    )
    .option(
      "--hand-off-ms <ms>",
      "how long a private message pushed to a live client waits in memory for its ack before it is stored",
      parsePositiveInt,
      DEFAULT_LIMITS.handOffMs,
    )
    .option("--max-connections <n>", "client connections at once", parsePositiveInt, DEFAULT_LIMITS.maxConnections)
    .option(
      "--max-connections-per-address <n>",
      "client connections at once from one address",
      parsePositiveInt,
      DEFAULT_LIMITS.maxConnectionsPerAddress,
    )
    .option(
      "--partial-line-timeout <seconds>",
      "close a connection that leaves a line unfinished this long",
      parseSeconds,
      DEFAULT_LIMITS.partialLineTimeoutMs / 1000,
    )
    .option(
      "--login-timeout <seconds>",
      "close a connection that has not logged in (nor used a token) this long after connecting",
      parseSeconds,
      DEFAULT_LIMITS.unauthenticatedTimeoutMs / 1000,
    )
    .option("--federation-host <address>", "address for this realm's bridge to link to (default: config's federation.host, else --host)")
    .option("--federation-port <port>", "port for this realm's bridge; 0 picks a free one (default: config's federation.port)", parsePort)
    .option("--web-port <port>", "port of the config's web listener; 0 picks a free one (default: config's web.port)", parsePort)
    .option("--web-client <dir>", "the built browser client, served by the config's web listener at / (without it, only /live answers)")
    .option(
      "--tap <port>",
      "publish every frame this realm sends and receives, secrets masked, at ws://127.0.0.1:<port>/tap (docs/design/tap.md); " +
        "0 picks a free port",
      parsePort,
    )
    .option(
      "--metrics-port <port>",
      "serve /metrics, /healthz and /readyz on this port (on config's metrics.host, else 127.0.0.1); 0 picks a free one " +
        "(default: config's metrics.port; off without either)",
      parsePort,
    )
    .action(async (options: ServeOptions) => {
      const loaded = withMetricsPort(await loadRealmConfig(options.config), options.metricsPort);
      const config =
        loaded.web === undefined || options.webPort === undefined ? loaded : { ...loaded, web: { ...loaded.web, port: options.webPort } };
      const logger = createProcessLogger({ role: "realm", name: config.realm, level: options.logLevel, format: options.logFormat });
      logUnhandledFailures(logger);
      const dataDir = options.dataDir ?? defaultDataDir(config);
      const server = await startRealmServer({
        config,
        dataDir,
        ...(options.store === undefined ? {} : { storeUrl: options.store }),
        host: options.host ?? config.host ?? "127.0.0.1",
        port: options.port ?? config.port ?? 8889,
        sessionIdleMs: options.sessionIdle * 1000,
        limits: {
          maxFrameBytes: options.maxFrameBytes,
          groupHistory: options.groupHistory,
          requestsPerSecond: options.requestsPerSecond,
          requestBurst: 2 * options.requestsPerSecond,
          userRequestsPerSecond: 2 * options.requestsPerSecond,
          userRequestBurst: 4 * options.requestsPerSecond,
          groupMessagesPerSecond: options.groupMessagesPerSecond,
          groupMessageBurst: 4 * options.groupMessagesPerSecond,
          groupCharsPerSecond: 320 * options.groupMessagesPerSecond,
          groupCharBurst: 1280 * options.groupMessagesPerSecond,
          maxInboxMessages: options.maxInbox,
          handOffMs: options.handOffMs,
          maxConnections: options.maxConnections,
          maxConnectionsPerAddress: options.maxConnectionsPerAddress,
          partialLineTimeoutMs: options.partialLineTimeout * 1000,
          unauthenticatedTimeoutMs: options.loginTimeout * 1000,
        },
        logger,
        ...(options.federationHost === undefined ? {} : { federationHost: options.federationHost }),
        ...(options.federationPort === undefined ? {} : { federationPort: options.federationPort }),
        ...(options.webClient === undefined ? {} : { webClientDir: options.webClient }),
        ...(options.tap === undefined ? {} : { tapPort: options.tap }),
      });
      const { host, port } = server.listener;
      // The harness reads these two lines to learn the ports chosen with port 0.
      if (server.federationListener !== undefined) {
        process.stdout.write(`realm ${config.realm} federation on ${server.federationListener.host}:${server.federationListener.port}\n`);
      }
      const data = options.store ?? config.store;
      logger.info("serving", {
        data: data === undefined ? join(dataDir, "realm.db") : redactPassword(data),
        admin: server.adminListener?.path,
      });
      const web = server.webListener;
      const scheme = config.tls === undefined ? "http" : "https";
      if (web !== undefined) process.stdout.write(`realm ${config.realm} web on ${scheme}://${web.host}:${web.port}\n`);
      if (server.tap !== undefined) process.stdout.write(`realm ${config.realm} tap on ws://127.0.0.1:${server.tap.port}/tap\n`);
      const metrics = server.metricsListener;
      if (metrics !== undefined) process.stdout.write(`realm ${config.realm} metrics on http://${metrics.host}:${metrics.port}\n`);
      process.stdout.write(`realm ${config.realm} listening on ${host}:${port}\n`);
      const stop = (signal: string): void => {
        logger.info("stopping", { signal });
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error("stopping failed", { error: describeError(err) });
            process.exit(1);
          },
        );
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      // SIGHUP re-reads the config: users are added or updated and the TLS certificate read again
      // at once; listen addresses, federation, web and store stay as they are until a restart (logged).
      process.on("SIGHUP", () => {
        loadRealmConfig(options.config)
          .then((fresh) => server.reload(fresh))
          .catch((err: unknown) => logger.error("config not reloaded; keeping the old one", { error: describeError(err) }));
      });
    });
}

/** A store URL for the log, without its password. */
function redactPassword(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}
