import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { ClassicClient } from "@realmchat/cli";
import type { Endpoint } from "@realmchat/peer-bridge";
import { NodeProcess } from "./node-process.ts";
import { workspaceBin } from "./workspace-bin.ts";

export interface StartRealmOptions {
  readonly name: string;
  readonly config: string;
  /** Client port; 0 picks a free one; absent means the config file's port. */
  readonly port?: number;
  /** Federation port for the realm's bridge; same rules. */
  readonly federationPort?: number;
  /** Port of the web listener (when the config has `web`); same rules. */
  readonly webPort?: number;
  /** Folder of the realm's SQLite file (and admin socket). */
  readonly dataDir: string;
  /** `postgres://…`: the realm's data in PostgreSQL instead (several instances share it). */
  readonly storeUrl?: string;
  readonly extraArgs?: readonly string[];
  /** Publish every frame at a tap (docs/design/tap.md); 0 picks a free port. */
  readonly tapPort?: number;
  readonly onStderr?: (text: string) => void;
}

export interface RealmHandle extends Endpoint {
  readonly name: string;
  readonly federationPort: number | undefined;
  /** The browser client's address, when the realm's config has `web`. */
  readonly webUrl: string | undefined;
  /** Where its tap is read, when it was started with one. */
  readonly tapUrl: string | undefined;
  readonly process: NodeProcess;
  readonly options: StartRealmOptions;
}

export interface StartBridgeOptions {
  /** The bridge's realm. */
  readonly name: string;
  readonly config: string;
  /** Folder of the bridge's SQLite queue. */
  readonly dataDir: string;
  /** Overrides of the config, for free ports: listen port, realm federation port, peer addresses. */
  readonly listenPort?: number;
  readonly realmPort?: number;
  /** The federation ports of the realm's other instances (cluster mode), tried in turn. */
  readonly realmInstances?: readonly Endpoint[];
  readonly peers?: Readonly<Record<string, Endpoint>>;
  readonly heartbeatMs?: number;
  readonly maxBackoffMs?: number;
  readonly expirySeconds?: number;
  readonly tapPort?: number;
  readonly onStderr?: (text: string) => void;
}

export interface BridgeHandle extends Endpoint {
  readonly name: string;
  readonly tapUrl: string | undefined;
  readonly process: NodeProcess;
  readonly options: StartBridgeOptions;
}

export interface FederatedRealmSpec {
  readonly name: string;
  readonly realmConfig: string;
  readonly bridgeConfig: string;
}

/** The name of a realm's instance `n` (1, 2, …) in a topology: the first is the realm's own name. */
export const instanceName = (realm: string, n: number): string => (n === 1 ? realm : `${realm}.${n}`);

/**
 * Ports of instance `n` with fixed ports: client and federation ports the configured ones plus 2
 * per instance; the web port one below per instance (the demo's web ports sit just below its client
 * and federation ports, which the other step would run into: realm1 web 8888, 8887, …).
 */
async function instancePorts(config: string, n: number): Promise<{ port?: number; federationPort?: number; webPort?: number }> {
  if (n === 1) return {};
  const parsed = JSON.parse(await readFile(config, "utf8")) as { port?: number; federation?: { port?: number }; web?: { port?: number } };
  const step = 2 * (n - 1);
  return {
    ...(parsed.port === undefined ? {} : { port: parsed.port + step }),
    ...(parsed.federation?.port === undefined ? {} : { federationPort: parsed.federation.port + step }),
    ...(parsed.web?.port === undefined ? {} : { webPort: parsed.web.port - (n - 1) }),
  };
}

function endpointOf(text: string): Endpoint {
  const at = text.lastIndexOf(":");
  return { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
}

/** A store URL split for a child process: the password goes in its environment, never on its command line. */
function withoutPassword(storeUrl: string): { readonly url: string; readonly password: string | undefined } {
  const url = new URL(storeUrl);
  const password = url.password === "" ? undefined : decodeURIComponent(url.password);
  url.password = "";
  return { url: url.toString(), password };
}

/**
 * The one harness that tests and the lab demo share: realm servers and peer bridges as real child
 * processes, wired together, users connected, everything torn down at the end.
 */
export class Topology implements AsyncDisposable {
  readonly realms = new Map<string, RealmHandle>();
  readonly bridges = new Map<string, BridgeHandle>();
  readonly #clients: ClassicClient[] = [];
  readonly #realmServerBin: string;
  readonly #peerBridgeBin: string;

  /** `built`: the servers run from the JavaScript `pnpm build` wrote (the benchmark), else from source. */
  constructor(options: { readonly built?: boolean } = {}) {
    this.#realmServerBin = workspaceBin("@realmchat/realm-server", "realm-server", options.built === true);
    this.#peerBridgeBin = workspaceBin("@realmchat/peer-bridge", "peer-bridge", options.built === true);
  }

  async startRealm(options: StartRealmOptions): Promise<RealmHandle> {
    const store = options.storeUrl === undefined ? undefined : withoutPassword(options.storeUrl);
    const process = await NodeProcess.start({
      name: options.name,
      script: this.#realmServerBin,
      args: [
        "--config",
        options.config,
        "--data-dir",
        options.dataDir,
        ...(options.port === undefined ? [] : ["--port", String(options.port)]),
        ...(options.federationPort === undefined ? [] : ["--federation-port", String(options.federationPort)]),
        ...(options.webPort === undefined ? [] : ["--web-port", String(options.webPort)]),
        ...(store === undefined ? [] : ["--store", store.url]),
        ...(options.tapPort === undefined ? [] : ["--tap", String(options.tapPort)]),
        ...(options.extraArgs ?? []),
      ],
      ready: /listening on (\S+:\d+)/,
      ...(options.onStderr === undefined ? {} : { onStderr: options.onStderr }),
      ...(store?.password === undefined ? {} : { env: { PGPASSWORD: store.password } }),
    });
    const federation = /federation on (\S+:\d+)/.exec(process.readyOutput)?.[1];
    const handle: RealmHandle = {
      name: options.name,
      ...endpointOf(process.readyMatch),
      federationPort: federation === undefined ? undefined : endpointOf(federation).port,
      webUrl: /web on (\S+)/.exec(process.readyOutput)?.[1],
      tapUrl: /tap on (\S+)/.exec(process.readyOutput)?.[1],
      process,
      options,
    };
    this.realms.set(options.name, handle);
    return handle;
  }

  async startBridge(options: StartBridgeOptions): Promise<BridgeHandle> {
    const peerArgs = Object.entries(options.peers ?? {}).flatMap(([realm, at]) => ["--peer", `${realm}=${at.host}:${at.port}`]);
    const process = await NodeProcess.start({
      name: `bridge ${options.name}`,
      script: this.#peerBridgeBin,
      args: [
        "--config",
        options.config,
        "--data-dir",
        options.dataDir,
        ...(options.listenPort === undefined ? [] : ["--listen-port", String(options.listenPort)]),
        ...(options.expirySeconds === undefined ? [] : ["--expiry", String(options.expirySeconds)]),
        ...(options.realmPort === undefined ? [] : ["--realm-port", String(options.realmPort)]),
        ...(options.realmInstances ?? []).flatMap((e) => ["--realm-instance", `${e.host}:${e.port}`]),
        ...(options.heartbeatMs === undefined ? [] : ["--heartbeat", String(options.heartbeatMs)]),
        ...(options.maxBackoffMs === undefined ? [] : ["--max-backoff", String(options.maxBackoffMs)]),
        ...(options.tapPort === undefined ? [] : ["--tap", String(options.tapPort)]),
        ...peerArgs,
      ],
      ready: /listening on (\S+:\d+)/,
      ...(options.onStderr === undefined ? {} : { onStderr: options.onStderr }),
    });
    const tapUrl = /tap on (\S+)/.exec(process.readyOutput)?.[1];
    const handle: BridgeHandle = { name: options.name, ...endpointOf(process.readyMatch), tapUrl, process, options };
    this.bridges.set(options.name, handle);
    return handle;
  }

  /**
   * Starts realms and bridges for a full mesh. With `anyPort`, every port is picked by the OS and
   * passed along: bridges start in descending realm-name order, since the lower name dials.
   */
  async startFederation(
    specs: readonly FederatedRealmSpec[],
    options: {
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
      readonly onStderr?: (name: string, text: string) => void;
    },
  ): Promise<void> {
    const free = options.anyPort ? { port: 0, federationPort: 0, webPort: 0 } : {};
    const instances = options.instances ?? 1;
    const tap = options.tap === true ? { tapPort: 0 } : {};
    for (const spec of specs) {
      const storeUrl = await options.storeUrlOf?.(spec.name);
      for (let n = 1; n <= instances; n++) {
        const name = instanceName(spec.name, n);
        await this.startRealm({
          name,
          config: spec.realmConfig,
          dataDir: join(options.dataRoot, name),
          ...(options.anyPort ? free : await instancePorts(spec.realmConfig, n)),
          ...(storeUrl === undefined ? {} : { storeUrl }),
          ...tap,
          ...(options.realmArgs === undefined ? {} : { extraArgs: options.realmArgs }),
          ...(options.onStderr === undefined ? {} : { onStderr: (t: string) => options.onStderr?.(name, t) }),
        });
      }
    }
    const ordered = [...specs].sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const spec of ordered) {
      const peers: Record<string, Endpoint> = {};
      if (options.anyPort)
        for (const [realm, bridge] of this.bridges) if (spec.name < realm) peers[realm] = { host: bridge.host, port: bridge.port };
      const others = this.instancesOf(spec.name)
        .slice(1)
        .map((r) => ({ host: r.host, port: r.federationPort as number }));
      await this.startBridge({
        name: spec.name,
        ...(others.length === 0 ? {} : { realmInstances: others }),
        config: spec.bridgeConfig,
        dataDir: join(options.dataRoot, `bridge-${spec.name}`),
        ...tap,
        ...(options.expirySeconds === undefined ? {} : { expirySeconds: options.expirySeconds }),
        ...(options.anyPort ? { listenPort: 0, realmPort: this.realm(spec.name).federationPort as number, peers } : {}),
        ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
        ...(options.maxBackoffMs === undefined ? {} : { maxBackoffMs: options.maxBackoffMs }),
        ...(options.onStderr === undefined ? {} : { onStderr: (t: string) => options.onStderr?.(`bridge ${spec.name}`, t) }),
      });
    }
  }

  /** Starts a stopped or killed bridge again on the same port, so that its peers find it. */
  async restartBridge(name: string): Promise<BridgeHandle> {
    const old = this.bridge(name);
    await old.process.stop();
    return this.startBridge({ ...old.options, listenPort: old.port });
  }

  /** Starts a stopped or killed realm server again on the same ports. */
  async restartRealm(name: string): Promise<RealmHandle> {
    const old = this.realm(name);
    await old.process.stop();
    return this.startRealm({
      ...old.options,
      port: old.port,
      ...(old.federationPort === undefined ? {} : { federationPort: old.federationPort }),
      ...(old.webUrl === undefined ? {} : { webPort: Number(new URL(old.webUrl).port) }),
    });
  }

  realm(name: string): RealmHandle {
    const handle = this.realms.get(name);
    if (handle === undefined) throw new RangeError(`no realm '${name}' in this topology`);
    return handle;
  }

  /** A realm's instances, first to last (one unless the topology runs it as a cluster). */
  instancesOf(realm: string): RealmHandle[] {
    return [...this.realms.values()].filter((r) => r.name === realm || r.name.startsWith(`${realm}.`));
  }

  bridge(name: string): BridgeHandle {
    const handle = this.bridges.get(name);
    if (handle === undefined) throw new RangeError(`no bridge '${name}' in this topology`);
    return handle;
  }

  /** A client connected to `realm` (its instance `instance`), logged in as `user`. */
  async connect(realm: string, user: string, password: string, instance = 1): Promise<ClassicClient> {
    const client = await this.connectAnonymous(realm, instance);
    await client.auth(user, password);
    return client;
  }

  async connectAnonymous(realm: string, instance = 1): Promise<ClassicClient> {
    const { host, port } = this.realm(instanceName(realm, instance));
    const client = await ClassicClient.connect({ host, port });
    this.#clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all(this.#clients.splice(0).map((c) => c.close()));
    await Promise.all([...this.bridges.values()].map((b) => b.process.stop()));
    await Promise.all([...this.realms.values()].map((r) => r.process.stop()));
    this.bridges.clear();
    this.realms.clear();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
