import { ClassicClient } from "@realmchat/cli";
import type { Endpoint } from "@realmchat/peer-bridge";
import { NodeProcess } from "./node-process.ts";
import type { BridgeHandle, RealmHandle, StartBridgeOptions, StartRealmOptions } from "./process-handles.ts";
import { instanceName, startFederation, type FederatedRealmSpec, type FederationOptions } from "./start-federation.ts";
import { workspaceBin } from "./workspace-bin.ts";

export { instanceName, type FederatedRealmSpec };
export type { BridgeHandle, RealmHandle, StartBridgeOptions, StartRealmOptions };

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

/** A restarted process's metrics port: the one it had. */
function samePort(metricsUrl: string | undefined): { metricsPort?: number } {
  return metricsUrl === undefined ? {} : { metricsPort: Number(new URL(metricsUrl).port) };
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
        ...(options.metricsPort === undefined ? [] : ["--metrics-port", String(options.metricsPort)]),
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
      metricsUrl: /metrics on (\S+)/.exec(process.readyOutput)?.[1],
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
        ...(options.metricsPort === undefined ? [] : ["--metrics-port", String(options.metricsPort)]),
        ...peerArgs,
      ],
      ready: /listening on (\S+:\d+)/,
      ...(options.onStderr === undefined ? {} : { onStderr: options.onStderr }),
    });
    const tapUrl = /tap on (\S+)/.exec(process.readyOutput)?.[1];
    const metricsUrl = /metrics on (\S+)/.exec(process.readyOutput)?.[1];
    const handle: BridgeHandle = { name: options.name, ...endpointOf(process.readyMatch), tapUrl, metricsUrl, process, options };
    this.bridges.set(options.name, handle);
    return handle;
  }

  /**
   * Starts realms and bridges for a full mesh (startFederation, in its own file). With `anyPort`,
   * every port is picked by the OS and passed along.
   */
  startFederation(specs: readonly FederatedRealmSpec[], options: FederationOptions): Promise<void> {
    return startFederation(this, specs, options);
  }

  /** Starts a stopped or killed bridge again on the same port, so that its peers find it. */
  async restartBridge(name: string): Promise<BridgeHandle> {
    const old = this.bridge(name);
    await old.process.stop();
    return this.startBridge({ ...old.options, listenPort: old.port, ...samePort(old.metricsUrl) });
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
      ...samePort(old.metricsUrl),
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
