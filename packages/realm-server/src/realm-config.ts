import { rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
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
import { RealmConfigError } from "./errors.ts";
import { parsePasswordHash } from "./password-hash.ts";
import type { UserRecord } from "./store/realm-store.ts";

const FEDERATION_KEYS = {
  host: { type: "address", default: "the realm's `host`", doc: "where this realm's bridge links in (`--federation-host`)" },
  port: { type: "port 0..65535", default: "0 (a free port)", doc: "its port (`--federation-port`)" },
  secret: {
    type: "secret",
    required: true,
    doc: "shared with the bridge only (its `realmServer.secret`); make one with `realm-server secret`",
  },
  tls: {
    type: "object",
    default: "plain TCP",
    doc: "the bridge links in over TLS with this certificate, pinned by its `realmServer.fingerprint`",
    keys: TLS_FILES_KEYS,
  },
} as const satisfies ConfigKeys;

const WEB_KEYS = {
  host: { type: "address", default: "the realm's `host`", doc: "where the browser client and WebSocket `/live` are served" },
  port: { type: "port 0..65535", required: true, doc: "their port; 0 picks a free one (`--web-port`)" },
  allowOrigins: {
    type: "array of origins",
    default: "none",
    doc: "pages of other origins (`https://chat.example`) allowed to open `/live`; the realm's own page always may",
  },
} as const satisfies ConfigKeys;

const USER_KEYS = {
  username: { type: "name", required: true, doc: "the login name (letters, digits, `._-`)" },
  displayName: { type: "string", default: "the username", doc: "the name others see" },
  passwordHash: {
    type: "scrypt hash",
    required: true,
    doc: "from `realm-server hash-password` or `user add`; plaintext passwords are refused",
  },
} as const satisfies ConfigKeys;

/** Every key of a realm config file: `parseRealmConfig` refuses others; docs/operating.md's reference is rendered from it. */
export const REALM_CONFIG_KEYS = {
  realm: { type: "name", required: true, doc: "the realm's name, as users elsewhere write it after `@`" },
  host: { type: "address", default: "127.0.0.1", doc: "where clients connect (`--host`)" },
  port: { type: "port 0..65535", default: "8889", doc: "the client port, classic and live protocols (`--port`)" },
  users: {
    type: "array of objects",
    required: true,
    doc: "users seeded into the store once each (later changes go through `realm-server user`)",
    keys: USER_KEYS,
  },
  tls: {
    type: "object",
    default: "plain TCP",
    doc: "the client port and the web listener speak TLS with this certificate",
    keys: TLS_FILES_KEYS,
  },
  federation: { type: "object", default: "no federation", doc: "the port this realm's own bridge links to", keys: FEDERATION_KEYS },
  store: {
    type: "postgres:// URL",
    default: "SQLite in the data folder",
    doc: "the realm's data in PostgreSQL, shared by several instances (`--store`)",
  },
  dataDir: { type: "path", default: "`./data/<realm>`", doc: "the data folder, relative to the config file (`--data-dir`)" },
  web: { type: "object", default: "off", doc: "the browser client and its WebSocket endpoint, on a port of their own", keys: WEB_KEYS },
  metrics: { type: "object", default: "off", doc: "Prometheus `/metrics`, `/healthz`, `/readyz` (`--metrics-port`)", keys: METRICS_KEYS },
} as const satisfies ConfigKeys;

/** A realm config file (README, "Realm config"). */
export interface RealmConfig {
  readonly realm: string;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly users: readonly UserRecord[];
  /** When set, the client port speaks TLS with this certificate. */
  readonly tls?: TlsFiles | undefined;
  /** Where this realm's own bridge links in; absent for a realm on its own. */
  readonly federation?: FederationConfig | undefined;
  /** `postgres://…`: the realm's data in PostgreSQL instead of SQLite. */
  readonly store?: string | undefined;
  /** The browser client and its WebSocket endpoint, on a port of their own; off unless set. */
  readonly web?: WebConfig | undefined;
  /** Where /metrics, /healthz and /readyz are served (docs/operating.md); off unless set. */
  readonly metrics?: MetricsConfig | undefined;
  /** The realm's data folder as written in the file (relative to the file's own folder). */
  readonly dataDir?: string | undefined;
  /** Where the file was read from: `dataDir` is taken relative to it. */
  readonly path?: string | undefined;
}

/**
 * Where a realm keeps its data unless told otherwise: the config's `dataDir`, relative to the
 * config file (so every command finds the same folder wherever it is run from), else
 * `./data/<realm>` under the folder the command runs in.
 */
export function defaultDataDir(config: RealmConfig): string {
  if (config.dataDir === undefined) return join("data", config.realm);
  return config.path === undefined ? config.dataDir : resolve(dirname(config.path), config.dataDir);
}

export interface WebConfig {
  readonly host: string | undefined;
  readonly port: number;
  /** Pages of other origins allowed to open `/live` (the realm's own page always may). */
  readonly allowOrigins: readonly string[];
}

function webOf(read: ConfigReader, value: unknown): WebConfig | undefined {
  if (value === undefined) return undefined;
  const w = read.object(value, "web");
  read.only(w, keysOf(WEB_KEYS), "web");
  const port = read.optionalPort(w.port, "web.port");
  if (port === undefined) read.fail("'web' needs a 'port' (0 picks a free one)");
  const allow = w.allowOrigins === undefined ? [] : read.array(w.allowOrigins, "web.allowOrigins");
  const allowOrigins = allow.map((o, i) => {
    if (typeof o !== "string" || !/^https?:\/\/[^/\s]+$/.test(o))
      read.fail(`web.allowOrigins[${i}] must be an origin like https://chat.example`);
    return o;
  });
  return { host: read.optionalString(w.host, "web.host"), port, allowOrigins };
}

export interface FederationConfig {
  readonly host: string | undefined;
  readonly port: number | undefined;
  /** Shared with the realm's bridge only; at least 16 characters. */
  readonly secret: string;
  /** When set, the bridge links in over TLS with this certificate (its `realmServer.fingerprint` pins it). */
  readonly tls?: TlsFiles | undefined;
}

function federationOf(read: ConfigReader, value: unknown): FederationConfig | undefined {
  if (value === undefined) return undefined;
  const f = read.object(value, "federation");
  read.only(f, keysOf(FEDERATION_KEYS), "federation");
  const tls = read.optionalTlsFiles(f.tls, "federation.tls");
  return {
    host: read.optionalString(f.host, "federation.host"),
    port: read.optionalPort(f.port, "federation.port"),
    secret: read.secret(f.secret, "federation.secret", "realm-server secret"),
    ...(tls === undefined ? {} : { tls }),
  };
}

function userOf(read: ConfigReader, value: unknown, i: number): UserRecord {
  const user = read.object(value, `users[${i}]`);
  if (user.password !== undefined)
    read.fail(
      `users[${i}].password: plaintext passwords are not accepted (make a hash with \`realm-server hash-password\`, or use ` +
        `\`realm-server user add\`)`,
    );
  read.only(user, keysOf(USER_KEYS), `users[${i}]`);
  const username = read.name(user.username, `users[${i}].username`, "a valid name");
  if (typeof user.passwordHash !== "string") read.fail(`users[${i}].passwordHash is missing (plaintext passwords are not accepted)`);
  try {
    parsePasswordHash(user.passwordHash);
  } catch (cause) {
    read.fail(`users[${i}].passwordHash: ${(cause as Error).message}`, cause);
  }
  const displayName = user.displayName === undefined ? username : user.displayName;
  if (typeof displayName !== "string") read.fail(`users[${i}].displayName must be a string`);
  return { username, displayName, passwordHash: user.passwordHash };
}

const realmConfigError: ConfigErrorFactory = (path, message, options) => new RealmConfigError(path, message, options);

export function parseRealmConfig(path: string, text: string): RealmConfig {
  const read = new ConfigReader(path, realmConfigError);
  const obj = read.parseObject(text);
  read.only(obj, keysOf(REALM_CONFIG_KEYS), "the file");
  const realm = read.name(obj.realm, "realm");
  const host = read.optionalString(obj.host, "host");
  const seen = new Set<string>();
  const users = read.array(obj.users, "users").map((u, i) => {
    const user = userOf(read, u, i);
    if (seen.has(user.username)) read.fail(`user '${user.username}' is listed twice`);
    seen.add(user.username);
    return user;
  });
  const tls = read.optionalTlsFiles(obj.tls, "tls");
  const store = read.optionalString(obj.store, "store");
  if (store !== undefined && !/^postgres(ql)?:\/\//.test(store))
    read.fail("'store' must be a postgres:// URL (without it, the realm keeps its data in SQLite)");
  const dataDir = read.optionalString(obj.dataDir, "dataDir");
  const metrics = metricsConfigOf(read, obj.metrics);
  return {
    ...(metrics === undefined ? {} : { metrics }),
    ...(store === undefined ? {} : { store }),
    ...(dataDir === undefined ? {} : { dataDir }),
    path,
    realm,
    host,
    port: read.optionalPort(obj.port, "port"),
    users,
    federation: federationOf(read, obj.federation),
    ...(obj.web === undefined ? {} : { web: webOf(read, obj.web) }),
    ...(tls === undefined ? {} : { tls }),
  };
}

export async function loadRealmConfig(path: string): Promise<RealmConfig> {
  return parseRealmConfig(path, await readConfigText(path, realmConfigError));
}

/** Writes the config atomically (temp file + rename) so a crash never leaves half a file. */
export async function saveRealmConfig(path: string, config: RealmConfig): Promise<void> {
  const body = {
    realm: config.realm,
    ...(config.host === undefined ? {} : { host: config.host }),
    ...(config.port === undefined ? {} : { port: config.port }),
    ...(config.federation === undefined ? {} : { federation: config.federation }),
    ...(config.tls === undefined ? {} : { tls: config.tls }),
    ...(config.store === undefined ? {} : { store: config.store }),
    ...(config.dataDir === undefined ? {} : { dataDir: config.dataDir }),
    ...(config.web === undefined ? {} : { web: config.web }),
    ...(config.metrics === undefined ? {} : { metrics: config.metrics }),
    users: config.users,
  };
  const temp = `${path}.${process.pid}.tmp`;
  // Owner only: the file holds the federation secret and may hold the store's password.
  await writeFile(temp, JSON.stringify(body, null, 2) + "\n", { encoding: "utf8", mode: 0o600 });
  await rename(temp, path);
}
