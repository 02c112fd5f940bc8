import { readFile } from "node:fs/promises";
import { isValidName } from "@realmchat/protocol";
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
}

/** A bridge config file (README, "Bridge config"). */
export interface BridgeConfig {
  readonly realm: string;
  /** Where peer bridges link in. */
  readonly listen: Endpoint;
  /** This realm's server: its federation port and secret. */
  readonly realmServer: Endpoint & { readonly secret: string };
  readonly peers: readonly PeerConfig[];
}

/** Of two bridges, the one whose realm name sorts first dials; the other only accepts. */
export function dialsPeer(self: string, peer: string): boolean {
  return self < peer;
}

function fail(path: string, message: string): never {
  throw new BridgeConfigError(path, message);
}

function endpoint(path: string, where: string, value: unknown, portRequired: boolean): Endpoint {
  if (typeof value !== "object" || value === null) fail(path, `'${where}' must be an object`);
  const v = value as Record<string, unknown>;
  const host = v.host ?? "127.0.0.1";
  if (typeof host !== "string") fail(path, `'${where}.host' must be a string`);
  const port = v.port ?? (portRequired ? undefined : 0);
  if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65535) fail(path, `'${where}.port' must be 0..65535`);
  return { host, port };
}

function secret(path: string, where: string, value: unknown): string {
  if (typeof value !== "string" || value.length < 16) fail(path, `'${where}.secret' must be a string of at least 16 characters`);
  return value;
}

export function parseBridgeConfig(path: string, text: string): BridgeConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new BridgeConfigError(path, "not valid JSON", { cause });
  }
  if (typeof raw !== "object" || raw === null) fail(path, "expected a JSON object");
  const obj = raw as Record<string, unknown>;
  if (typeof obj.realm !== "string" || !isValidName(obj.realm)) fail(path, "'realm' must be a realm name");
  const realm = obj.realm;
  const realmServerRaw = obj.realmServer as Record<string, unknown> | undefined;
  const realmServer = { ...endpoint(path, "realmServer", realmServerRaw, true), secret: secret(path, "realmServer", realmServerRaw?.secret) };
  const listen = endpoint(path, "listen", obj.listen ?? {}, false);
  if (!Array.isArray(obj.peers)) fail(path, "'peers' must be an array");
  const seen = new Set<string>();
  const peers = obj.peers.map((p: unknown, i): PeerConfig => {
    if (typeof p !== "object" || p === null) fail(path, `peers[${i}] must be an object`);
    const peer = p as Record<string, unknown>;
    if (typeof peer.realm !== "string" || !isValidName(peer.realm) || peer.realm === realm) fail(path, `peers[${i}].realm must name another realm`);
    if (seen.has(peer.realm)) fail(path, `peer '${peer.realm}' is listed twice`);
    seen.add(peer.realm);
    const mustDial = dialsPeer(realm, peer.realm);
    if (mustDial && (peer.port === undefined || peer.port === 0)) fail(path, `peers[${i}] (${peer.realm}): this bridge dials it, so its host and port are needed`);
    const address = peer.port === undefined ? undefined : endpoint(path, `peers[${i}]`, peer, true);
    return { realm: peer.realm, secret: secret(path, `peers[${i}]`, peer.secret), address };
  });
  return { realm, listen, realmServer, peers };
}

export async function loadBridgeConfig(path: string): Promise<BridgeConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new BridgeConfigError(path, "cannot read the file", { cause });
  }
  return parseBridgeConfig(path, text);
}
