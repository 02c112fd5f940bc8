import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Endpoint } from "@realmchat/peer-bridge";
import type { BridgeHandle, RealmHandle, StartBridgeOptions, StartRealmOptions } from "./process-handles.ts";

export interface FederatedRealmSpec {
  readonly name: string;
  readonly realmConfig: string;
  readonly bridgeConfig: string;
}

/** The name of a realm's instance `n` (1, 2, …) in a topology: the first is the realm's own name. */
/** The name of a realm's instance `n` (1, 2, …) in a topology: the first is the realm's own name. */
export const instanceName = (realm: string, n: number): string => (n === 1 ? realm : `${realm}.${n}`);

/** What starting a federation needs of the topology that keeps its processes. */
export interface FederationHost {
  readonly bridges: ReadonlyMap<string, BridgeHandle>;
  startRealm(options: StartRealmOptions): Promise<RealmHandle>;
  startBridge(options: StartBridgeOptions): Promise<BridgeHandle>;
  realm(name: string): RealmHandle;
  instancesOf(realm: string): RealmHandle[];
}

export interface FederationOptions {
  readonly anyPort: boolean;
  /** Each process keeps its SQLite file in `<dataRoot>/<realm>` or `<dataRoot>/bridge-<realm>`. */
  readonly dataRoot: string;
  readonly heartbeatMs?: number;
  readonly maxBackoffMs?: number;
  readonly expirySeconds?: number;
  /** More flags for every realm server (limits for a benchmark, say). */
  readonly realmArgs?: readonly string[];
  /** Instances of each realm (cluster mode, needs `storeUrlOf`); 1 by default. */
  readonly instances?: number;
  /** Each realm's PostgreSQL database, shared by its instances. */
  readonly storeUrlOf?: (realm: string) => Promise<string>;
  /** Every realm and bridge publishes its frames at a tap on a free port (the lab view). */
  readonly tap?: boolean;
  /** Every realm and bridge serves /metrics, /healthz and /readyz on a free port (the configs' ports otherwise, if any). */
  readonly metrics?: boolean;
  /** Where the bridge of `dialer` is to dial `peer`'s bridge, listening `at` (the lab view puts a link cutter there). */
  readonly peerVia?: (dialer: string, peer: string, at: Endpoint) => Promise<Endpoint>;
  readonly onStderr?: (name: string, text: string) => void;
}

/**
 * Ports of instance `n` with fixed ports: client and federation ports the configured ones plus 2
 * per instance; the web port one below per instance (the demo's web ports sit just below its client
 * and federation ports, which the other step would run into: realm1 web 8888, 8887, …).
 */
async function instancePorts(
  config: string,
  n: number,
): Promise<{ port?: number; federationPort?: number; webPort?: number; metricsPort?: number }> {
  if (n === 1) return {};
  const parsed = JSON.parse(await readFile(config, "utf8")) as {
    port?: number;
    federation?: { port?: number };
    web?: { port?: number };
    metrics?: { port?: number };
  };
  const step = 2 * (n - 1);
  return {
    ...(parsed.port === undefined ? {} : { port: parsed.port + step }),
    ...(parsed.federation?.port === undefined ? {} : { federationPort: parsed.federation.port + step }),
    ...(parsed.web?.port === undefined ? {} : { webPort: parsed.web.port - (n - 1) }),
    // The demo's metrics ports are 9101, 9102 (realms) and 9111, 9112 (bridges): instances go up by 20.
    ...(parsed.metrics?.port === undefined ? {} : { metricsPort: parsed.metrics.port + 20 * (n - 1) }),
  };
}

/** With `anyPort`, a config that asks for metrics has them on a free port instead of its own. */
async function freeMetricsPort(config: string): Promise<{ metricsPort?: number }> {
  const parsed = JSON.parse(await readFile(config, "utf8")) as { metrics?: unknown };
  return parsed.metrics === undefined ? {} : { metricsPort: 0 };
}

/**
 * Starts realms and bridges for a full mesh. With `anyPort`, every port is picked by the OS and
 * passed along: bridges start in descending realm-name order, since the lower name dials.
 */
export async function startFederation(
  topology: FederationHost,
  specs: readonly FederatedRealmSpec[],
  options: FederationOptions,
): Promise<void> {
  const free = options.anyPort ? { port: 0, federationPort: 0, webPort: 0 } : {};
  const instances = options.instances ?? 1;
  const watched = { ...(options.tap === true ? { tapPort: 0 } : {}), ...(options.metrics === true ? { metricsPort: 0 } : {}) };
  for (const spec of specs) {
    const storeUrl = await options.storeUrlOf?.(spec.name);
    for (let n = 1; n <= instances; n++) {
      const name = instanceName(spec.name, n);
      await topology.startRealm({
        name,
        config: spec.realmConfig,
        dataDir: join(options.dataRoot, name),
        ...(options.anyPort ? { ...free, ...(await freeMetricsPort(spec.realmConfig)) } : await instancePorts(spec.realmConfig, n)),
        ...(storeUrl === undefined ? {} : { storeUrl }),
        ...watched,
        ...(options.realmArgs === undefined ? {} : { extraArgs: options.realmArgs }),
        ...(options.onStderr === undefined ? {} : { onStderr: (t: string) => options.onStderr?.(name, t) }),
      });
    }
  }
  const ordered = [...specs].sort((a, b) => (a.name < b.name ? 1 : -1));
  for (const spec of ordered) {
    const peers: Record<string, Endpoint> = {};
    if (options.anyPort || options.peerVia !== undefined)
      for (const [realm, bridge] of topology.bridges) {
        const at = { host: bridge.host, port: bridge.port };
        if (spec.name < realm) peers[realm] = options.peerVia === undefined ? at : await options.peerVia(spec.name, realm, at);
      }
    const others = topology
      .instancesOf(spec.name)
      .slice(1)
      .map((r) => ({ host: r.host, port: r.federationPort as number }));
    await topology.startBridge({
      name: spec.name,
      ...(others.length === 0 ? {} : { realmInstances: others }),
      config: spec.bridgeConfig,
      dataDir: join(options.dataRoot, `bridge-${spec.name}`),
      ...watched,
      ...(options.expirySeconds === undefined ? {} : { expirySeconds: options.expirySeconds }),
      ...(options.anyPort
        ? { listenPort: 0, realmPort: topology.realm(spec.name).federationPort as number, ...(await freeMetricsPort(spec.bridgeConfig)) }
        : {}),
      ...(Object.keys(peers).length === 0 ? {} : { peers }),
      ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
      ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
      ...(options.onStderr === undefined ? {} : { onStderr: (t: string) => options.onStderr?.(`bridge ${spec.name}`, t) }),
    });
  }
}
