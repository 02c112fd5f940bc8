import { join } from "node:path";
import { ClassicClient } from "@realmchat/cli";
import type { Endpoint } from "@realmchat/peer-bridge";
import { NodeProcess } from "./node-process.ts";
import { workspaceBin } from "./workspace-bin.ts";

const REALM_SERVER_BIN = workspaceBin("@realmchat/realm-server", "realm-server");
const PEER_BRIDGE_BIN = workspaceBin("@realmchat/peer-bridge", "peer-bridge");

export interface StartRealmOptions {
  readonly name: string;
  readonly config: string;
  /** Client port; 0 picks a free one; absent means the config file's port. */
  readonly port?: number;
  /** Federation port for the realm's bridge; same rules. */
  readonly federationPort?: number;
  /** Folder of the realm's SQLite file. */
  readonly dataDir: string;
  readonly extraArgs?: readonly string[];
  readonly onStderr?: (text: string) => void;
}

export interface RealmHandle extends Endpoint {
  readonly name: string;
  readonly federationPort: number | undefined;
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
  readonly peers?: Readonly<Record<string, Endpoint>>;
  readonly heartbeatMs?: number;
  readonly maxBackoffMs?: number;
  readonly expirySeconds?: number;
  readonly onStderr?: (text: string) => void;
}

export interface BridgeHandle extends Endpoint {
  readonly name: string;
  readonly process: NodeProcess;
  readonly options: StartBridgeOptions;
}

export interface FederatedRealmSpec {
  readonly name: string;
  readonly realmConfig: string;
  readonly bridgeConfig: string;
}

function endpointOf(text: string): Endpoint {
  const at = text.lastIndexOf(":");
  return { host: text.slice(0, at), port: Number(text.slice(at + 1)) };
}

/**
 * The one harness that tests and the lab demo share: realm servers and peer bridges as real child
 * processes, wired together, users connected, everything torn down at the end.
 */
export class Topology implements AsyncDisposable {
  readonly realms = new Map<string, RealmHandle>();
  readonly bridges = new Map<string, BridgeHandle>();
  readonly #clients: ClassicClient[] = [];

  async startRealm(options: StartRealmOptions): Promise<RealmHandle> {
    const process = await NodeProcess.start({
      name: options.name,
      script: REALM_SERVER_BIN,
      args: [
        "--config",
        options.config,
        "--data-dir",
        options.dataDir,
        ...(options.port === undefined ? [] : ["--port", String(options.port)]),
        ...(options.federationPort === undefined ? [] : ["--federation-port", String(options.federationPort)]),
        ...(options.extraArgs ?? []),
      ],
      ready: /listening on (\S+:\d+)/,
      ...(options.onStderr === undefined ? {} : { onStderr: options.onStderr }),
    });
    const federation = /federation on (\S+:\d+)/.exec(process.readyOutput)?.[1];
    const handle: RealmHandle = {
      name: options.name,
      ...endpointOf(process.readyMatch),
      federationPort: federation === undefined ? undefined : endpointOf(federation).port,
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
      script: PEER_BRIDGE_BIN,
      args: [
        "--config",
        options.config,
        "--data-dir",
        options.dataDir,
        ...(options.listenPort === undefined ? [] : ["--listen-port", String(options.listenPort)]),
        ...(options.expirySeconds === undefined ? [] : ["--expiry", String(options.expirySeconds)]),
        ...(options.realmPort === undefined ? [] : ["--realm-port", String(options.realmPort)]),
        ...(options.heartbeatMs === undefined ? [] : ["--heartbeat", String(options.heartbeatMs)]),
        ...(options.maxBackoffMs === undefined ? [] : ["--max-backoff", String(options.maxBackoffMs)]),
        ...peerArgs,
      ],
      ready: /listening on (\S+:\d+)/,
      ...(options.onStderr === undefined ? {} : { onStderr: options.onStderr }),
    });
    const handle: BridgeHandle = { name: options.name, ...endpointOf(process.readyMatch), process, options };
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
      readonly onStderr?: (name: string, text: string) => void;
    },
  ): Promise<void> {
    const free = options.anyPort ? { port: 0, federationPort: 0 } : {};
    for (const spec of specs) {
      await this.startRealm({
        name: spec.name,
        config: spec.realmConfig,
        dataDir: join(options.dataRoot, spec.name),
        ...free,
        ...(options.realmArgs === undefined ? {} : { extraArgs: options.realmArgs }),
        ...(options.onStderr === undefined ? {} : { onStderr: (t: string) => options.onStderr?.(spec.name, t) }),
      });
    }
    const ordered = [...specs].sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const spec of ordered) {
      const peers: Record<string, Endpoint> = {};
      if (options.anyPort) for (const [realm, bridge] of this.bridges) if (spec.name < realm) peers[realm] = { host: bridge.host, port: bridge.port };
      await this.startBridge({
        name: spec.name,
        config: spec.bridgeConfig,
        dataDir: join(options.dataRoot, `bridge-${spec.name}`),
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
    });
  }

  realm(name: string): RealmHandle {
    const handle = this.realms.get(name);
    if (handle === undefined) throw new RangeError(`no realm '${name}' in this topology`);
    return handle;
  }

  bridge(name: string): BridgeHandle {
    const handle = this.bridges.get(name);
    if (handle === undefined) throw new RangeError(`no bridge '${name}' in this topology`);
    return handle;
  }

  /** A client connected to `realm`, logged in as `user`. */
  async connect(realm: string, user: string, password: string): Promise<ClassicClient> {
    const client = await this.connectAnonymous(realm);
    await client.auth(user, password);
    return client;
  }

  async connectAnonymous(realm: string): Promise<ClassicClient> {
    const { host, port } = this.realm(realm);
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
