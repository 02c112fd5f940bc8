import {
  ConfigReader,
  keysOf,
  METRICS_KEYS,
  metricsConfigOf,
  readConfigText,
  TLS_FILES_KEYS,
  type ConfigErrorFactory,
  type ConfigKeys,
  type MetricsConfig,
  type TlsFiles,
} from "@realmchat/node-runtime";
import { BridgeConfigError } from "./errors.ts";

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface PeerConfig {
  readonly realm: string;
  /** Shared with that peer's bridge only; at least 16 characters. */
  readonly secret: string;
  /** Needed when this bridge dials the peer, i.e. when this realm's name sorts first. */
  readonly address: Endpoint | undefined;
  /** When set, the link to this peer is dialed over TLS and the peer's certificate must have this SHA-256 fingerprint. */
  readonly fingerprint?: string | undefined;
}

/** A bridge config file (README, "Bridge config"). */
export interface BridgeConfig {
  readonly realm: string;
  /** Where peer bridges link in. */
  readonly listen: Endpoint;
  /**
   * This realm's server: its federation port and secret; `otherInstances` are more instances of
   * the same realm (on one shared store), tried in turn when one does not answer.
   */
  readonly realmServer: Endpoint & {
    readonly secret: string;
    readonly otherInstances: readonly Endpoint[];
    /** When set, the realm server is dialed over TLS (its `federation.tls`) and its certificate must have this SHA-256 fingerprint. */
    readonly fingerprint?: string | undefined;
  };
  readonly peers: readonly PeerConfig[];
  /** When set, peer bridges link in over TLS with this certificate (they pin its fingerprint). */
  readonly tls?: TlsFiles | undefined;
  /** Where /metrics, /healthz and /readyz are served (docs/operating.md); off unless set. */
  readonly metrics?: MetricsConfig | undefined;
}

const ENDPOINT_KEYS = {
  host: { type: "address", default: "127.0.0.1", doc: "its address" },
  port: { type: "port 0..65535", required: true, doc: "its port" },
} as const satisfies ConfigKeys;

const LISTEN_KEYS = {
  host: ENDPOINT_KEYS.host,
  port: { type: "port 0..65535", default: "0 (a free port)", doc: "its port" },
} as const satisfies ConfigKeys;

const REALM_SERVER_KEYS = {
  host: { type: "address", default: "127.0.0.1", doc: "the realm server's federation address" },
  port: { type: "port 0..65535", required: true, doc: "its federation port (`--realm-port`)" },
  secret: { type: "secret", required: true, doc: "the realm's `federation.secret`" },
  otherInstances: {
    type: "array of objects",
    default: "none",
    doc: "more instances of the same realm (one shared store), tried in turn when one does not answer (`--realm-instance`)",
    keys: ENDPOINT_KEYS,
  },
  fingerprint: {
    type: "SHA-256 fingerprint",
    default: "plain TCP",
    doc: "dial the realm server over TLS and trust only this certificate (its `federation.tls`), for every instance",
  },
} as const satisfies ConfigKeys;

const PEER_KEYS = {
  realm: { type: "name", required: true, doc: "the peer realm's name" },
  host: {
    type: "address",
    default: "127.0.0.1",
    doc: "its bridge's address; needed by the dialing side (the realm name that sorts first)",
  },
  port: {
    type: "port 0..65535",
    default: "none: this bridge only accepts",
    doc: "its bridge's port, needed by the dialing side (`--peer`)",
  },
  secret: { type: "secret", required: true, doc: "shared with that peer's bridge only; make one with `peer-bridge secret`" },
  fingerprint: {
    type: "SHA-256 fingerprint",
    default: "plain TCP",
    doc: "dial this peer over TLS and trust only this certificate (`peer-bridge fingerprint <cert>`)",
  },
} as const satisfies ConfigKeys;

/** Every key of a bridge config file: `parseBridgeConfig` refuses others; docs/operating.md's reference is rendered from it. */
export const BRIDGE_CONFIG_KEYS = {
  realm: { type: "name", required: true, doc: "the realm this bridge carries for" },
  realmServer: { type: "object", required: true, doc: "its realm server's federation port", keys: REALM_SERVER_KEYS },
  listen: {
    type: "object",
    default: "127.0.0.1, port 0",
    doc: "where peer bridges link in (`--listen-host`, `--listen-port`)",
    keys: LISTEN_KEYS,
  },
  peers: { type: "array of objects", required: true, doc: "the other realms' bridges, a full mesh", keys: PEER_KEYS },
  tls: {
    type: "object",
    default: "plain TCP",
    doc: "peer bridges link in over TLS with this certificate (they pin it)",
    keys: TLS_FILES_KEYS,
  },
  metrics: { type: "object", default: "off", doc: "Prometheus `/metrics`, `/healthz`, `/readyz` (`--metrics-port`)", keys: METRICS_KEYS },
} as const satisfies ConfigKeys;

/** Of two bridges, the one whose realm name sorts first dials; the other only accepts. */
export function dialsPeer(self: string, peer: string): boolean {
  return self < peer;
}

const bridgeConfigError: ConfigErrorFactory = (path, message, options) => new BridgeConfigError(path, message, options);

function endpoint(read: ConfigReader, where: string, value: unknown, portRequired: boolean): Endpoint {
  const v = read.object(value, where);
  const host = read.optionalString(v.host, `${where}.host`) ?? "127.0.0.1";
  const port = read.optionalPort(v.port ?? (portRequired ? undefined : 0), `${where}.port`);
  if (port === undefined) read.fail(`'${where}.port' must be a port 0..65535`);
  return { host, port };
}

function peerOf(read: ConfigReader, realm: string, value: unknown, i: number): PeerConfig {
  const peer = read.object(value, `peers[${i}]`);
  read.only(peer, keysOf(PEER_KEYS), `peers[${i}]`);
  const name = read.name(peer.realm, `peers[${i}].realm`, "another realm's name");
  if (name === realm) read.fail(`peers[${i}].realm must name another realm`);
  if (dialsPeer(realm, name) && (peer.port === undefined || peer.port === 0))
    read.fail(`peers[${i}] (${name}): this bridge dials it, so its host and port are needed`);
  const address = peer.port === undefined ? undefined : endpoint(read, `peers[${i}]`, peer, true);
  const fingerprint = read.optionalFingerprint(peer.fingerprint, `peers[${i}].fingerprint`);
  return {
    realm: name,
    secret: read.secret(peer.secret, `peers[${i}].secret`, "peer-bridge secret"),
    address,
    ...(fingerprint === undefined ? {} : { fingerprint }),
  };
}

export function parseBridgeConfig(path: string, text: string): BridgeConfig {
  const read = new ConfigReader(path, bridgeConfigError);
  const obj = read.parseObject(text);
  read.only(obj, keysOf(BRIDGE_CONFIG_KEYS), "the file");
  const realm = read.name(obj.realm, "realm", "a realm name");
  const realmServerRaw = read.object(obj.realmServer, "realmServer");
  read.only(realmServerRaw, keysOf(REALM_SERVER_KEYS), "realmServer");
  const otherInstances =
    realmServerRaw.otherInstances === undefined
      ? []
      : read.array(realmServerRaw.otherInstances, "realmServer.otherInstances").map((e, i) => {
          const where = `realmServer.otherInstances[${i}]`;
          read.only(read.object(e, where), keysOf(ENDPOINT_KEYS), where);
          return endpoint(read, where, e, true);
        });
  const realmServer = {
    ...endpoint(read, "realmServer", realmServerRaw, true),
    secret: read.secret(realmServerRaw.secret, "realmServer.secret", "peer-bridge secret"),
    otherInstances,
    ...(realmServerRaw.fingerprint === undefined
      ? {}
      : { fingerprint: read.optionalFingerprint(realmServerRaw.fingerprint, "realmServer.fingerprint") }),
  };
  if (obj.listen !== undefined) read.only(read.object(obj.listen, "listen"), keysOf(LISTEN_KEYS), "listen");
  const listen = endpoint(read, "listen", obj.listen ?? {}, false);
  const seen = new Set<string>();
  const peers = read.array(obj.peers, "peers").map((p, i) => {
    const peer = peerOf(read, realm, p, i);
    if (seen.has(peer.realm)) read.fail(`peer '${peer.realm}' is listed twice`);
    seen.add(peer.realm);
    return peer;
  });
  const tls = read.optionalTlsFiles(obj.tls, "tls");
  const metrics = metricsConfigOf(read, obj.metrics);
  return { realm, listen, realmServer, peers, ...(tls === undefined ? {} : { tls }), ...(metrics === undefined ? {} : { metrics }) };
}

export async function loadBridgeConfig(path: string): Promise<BridgeConfig> {
  return parseBridgeConfig(path, await readConfigText(path, bridgeConfigError));
}
