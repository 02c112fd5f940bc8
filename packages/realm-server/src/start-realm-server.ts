import {
  loadTlsIdentity,
  silentLogger,
  startProcessTap,
  type CommitObserver,
  type Logger,
  type ProcessTap,
  type TcpListener,
} from "@realmchat/node-runtime";
import { RealmMetrics } from "./metrics/realm-metrics.ts";
import { listenAdmin, type AdminListener } from "./admin/admin-listener.ts";
import { RealmAdmin } from "./admin/realm-admin.ts";
import { listenClients } from "./client-listener.ts";
import { listenWeb } from "./web/web-listener.ts";
import { listenFederation } from "./federation/federation-listener.ts";
import { RealmCluster } from "./cluster/realm-cluster.ts";
import { DEFAULT_LIMITS, type RealmLimits } from "./limits.ts";
import { Realm } from "./realm.ts";
import type { RealmConfig } from "./realm-config.ts";
import { changesNeedingRestart, renewCertificate } from "./realm-reload.ts";
import { PgRealmStore } from "./store/postgres/pg-realm-store.ts";
import { SqliteRealmStore } from "./store/sqlite/sqlite-realm-store.ts";
import { DEFAULT_SESSION_IDLE_MS, type RealmStore } from "./store/realm-store.ts";

export interface RealmServerOptions {
  readonly config: RealmConfig;
  readonly host: string;
  readonly port: number;
  /** Where the realm's SQLite file (created if missing) and admin socket live. */
  readonly dataDir?: string;
  /** A store to use as is (instances sharing one in tests); the config's users seed it. */
  readonly store?: RealmStore;
  /** `postgres://…`: keep everything in that PostgreSQL database instead of SQLite (`--store`). */
  readonly storeUrl?: string;
  readonly sessionIdleMs?: number;
  readonly limits?: Partial<RealmLimits>;
  readonly logger?: Logger;
  /** Federation port for this realm's bridge (needs `config.federation`); 0 picks a free one. */
  readonly federationHost?: string;
  readonly federationPort?: number;
  readonly federationIdleTimeoutMs?: number;
  /** The built browser client the web listener serves (config `web`); without it, only `/live`. */
  readonly webClientDir?: string;
  /** Record every frame and serve it at ws://127.0.0.1:<tapPort>/tap (docs/design/tap.md); 0 picks a free port. */
  readonly tapPort?: number;
}

export interface RunningRealmServer extends AsyncDisposable {
  readonly realm: Realm;
  readonly store: RealmStore;
  readonly listener: TcpListener;
  readonly federationListener: TcpListener | undefined;
  /** The HTTP listener of the browser client and its WebSocket `/live` (config `web`). */
  readonly webListener: TcpListener | undefined;
  readonly admin: RealmAdmin;
  /** The admin socket (README, "Operating a realm"); only a realm with a data directory has one. */
  readonly adminListener: AdminListener | undefined;
  /** The tap, when `tapPort` was given. */
  readonly tap: ProcessTap | undefined;
  /** /metrics, /healthz and /readyz (config `metrics`). */
  readonly metricsListener: TcpListener | undefined;
  /**
   * Applies a re-read config (SIGHUP): its users are added or updated at once, and the TLS
   * certificate and key read again; what else changed is logged as needing a restart.
   */
  reload(config: RealmConfig): Promise<void>;
  close(): Promise<void>;
}

/** How often the serving store's WAL is checkpointed, in its own thread (docs/design/durability.md, "Checkpoints"). */
const CHECKPOINT_EVERY_MS = 500;

/** The realm's own store: PostgreSQL when a URL is given (option or config), else SQLite in its data folder. */
async function openStore(options: RealmServerOptions, observeCommit: CommitObserver | undefined): Promise<RealmStore> {
  const sessionIdleMs = options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS;
  const storeUrl = options.storeUrl ?? options.config.store;
  const logged = { ...(options.logger === undefined ? {} : { logger: options.logger }), observeCommit };
  if (storeUrl !== undefined) return PgRealmStore.open(storeUrl, { sessionIdleMs, ...logged });
  if (options.dataDir === undefined) throw new Error("a realm server needs a data folder, a store URL or a store");
  return SqliteRealmStore.open(options.dataDir, { sessionIdleMs, open: "create", checkpointEveryMs: CHECKPOINT_EVERY_MS, ...logged });
}

/** Config users seed the store once each (UserStore.seed); how many were new. */
async function seedUsers(store: RealmStore, config: RealmConfig): Promise<number> {
  const added = await Promise.all(config.users.map((user) => store.users.seed(user)));
  return added.filter(Boolean).length;
}

/** A realm with its users loaded, listening for clients on TCP. */
export async function startRealmServer(options: RealmServerOptions): Promise<RunningRealmServer> {
  const metricsAt = options.config.metrics;
  const metrics = metricsAt === undefined ? undefined : new RealmMetrics(options.config.realm, metricsAt);
  const store = options.store ?? (await openStore(options, metrics?.observeCommit));
  await seedUsers(store, options.config);
  // Instances sharing one store share presence, group fan-out and the bridge link through it.
  const cluster =
    store.cluster === undefined
      ? undefined
      : new RealmCluster({
          realm: options.config.realm,
          log: store.cluster,
          groupHistory: store.groups,
          historySize: { ...DEFAULT_LIMITS, ...options.limits }.groupHistory,
          logger: options.logger ?? silentLogger,
        });
  const realm = new Realm({
    ...(cluster === undefined
      ? {}
      : { presence: cluster.presence, groups: cluster.groups, federationPort: cluster.port, outboundRelay: cluster.outboundRelay }),
    name: options.config.realm,
    store,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
  await cluster?.start(realm.federation);
  const resumed = await realm.federation.outbound.loadOutbox();
  if (resumed > 0) realm.logger.info("resuming queued messages for other realms", { count: resumed });
  const tls = options.config.tls === undefined ? undefined : await loadTlsIdentity(options.config.tls);
  const tap = options.tapPort === undefined ? undefined : await startProcessTap(realm.name, options.tapPort);
  const observe = tap?.observe;
  const listener = await listenClients(realm, { host: options.host, port: options.port, tls, observe });
  const web = options.config.web;
  const webListener =
    web === undefined
      ? undefined
      : await listenWeb(realm, {
          host: web.host ?? options.host,
          port: web.port,
          allowOrigins: web.allowOrigins,
          tls,
          observe,
          ...(options.webClientDir === undefined ? {} : { staticDir: options.webClientDir }),
        });
  const federation = options.config.federation;
  const federationListener =
    federation === undefined
      ? undefined
      : await listenFederation({
          realm: realm.name,
          handler: realm.federation,
          scheduler: realm.scheduler,
          logger: realm.logger,
          host: options.federationHost ?? federation.host ?? options.host,
          port: options.federationPort ?? federation.port ?? 0,
          secret: federation.secret,
          observe,
          tls: federation.tls === undefined ? undefined : await loadTlsIdentity(federation.tls),
          ...(options.federationIdleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.federationIdleTimeoutMs }),
        });
  metrics?.watch(realm, store);
  const metricsListener = await metrics?.listen(RealmMetrics.readiness(realm, store, federation !== undefined), realm.logger);
  const admin = new RealmAdmin(store, realm);
  const adminListener = options.dataDir === undefined ? undefined : await listenAdmin(options.dataDir, admin, realm.logger);
  const reload = async (config: RealmConfig): Promise<void> => {
    if (config.realm !== realm.name)
      throw new Error(`the config is now for realm '${config.realm}', not '${realm.name}': restart to change realms`);
    const added = await seedUsers(store, config);
    const renewed = await renewCertificate(config.tls, [listener, webListener]);
    const linkRenewed = await renewCertificate(config.federation?.tls, [federationListener]);
    const needsRestart = changesNeedingRestart(options.config, config);
    realm.logger.info("config reloaded", {
      users: config.users.length,
      added,
      certificate: renewed ? "read again" : undefined,
      federation_certificate: linkRenewed ? "read again" : undefined,
      needs_restart: needsRestart.length === 0 ? undefined : needsRestart.join(", "),
    });
    await realm.federation.publishDirectory();
  };
  const close = async (): Promise<void> => {
    await adminListener?.close();
    await metricsListener?.close();
    await webListener?.close();
    await federationListener?.close();
    await listener.close();
    await cluster?.stop();
    await store.close();
    await tap?.close();
  };
  return {
    realm,
    store,
    listener,
    federationListener,
    webListener,
    admin,
    adminListener,
    tap,
    metricsListener,
    reload,
    close,
    [Symbol.asyncDispose]: close,
  };
}
