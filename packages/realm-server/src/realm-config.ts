import { readFile, rename, writeFile } from "node:fs/promises";
import { isValidName } from "@realmchat/protocol";
import { RealmConfigError } from "./errors.ts";
import { parsePasswordHash } from "./password-hash.ts";
import type { UserRecord } from "./store/realm-store.ts";

/** A realm config file (README, "Realm config"). */
export interface RealmConfig {
  readonly realm: string;
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly users: readonly UserRecord[];
  /** Where this realm's own bridge links in; absent for a realm on its own. */
  readonly federation?: FederationConfig | undefined;
}

export interface FederationConfig {
  readonly host: string | undefined;
  readonly port: number | undefined;
  /** Shared with the realm's bridge only; at least 16 characters. */
  readonly secret: string;
}

function optionalFederation(path: string, value: unknown): FederationConfig | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null) fail(path, "'federation' must be an object");
  const f = value as Record<string, unknown>;
  if (typeof f.secret !== "string" || f.secret.length < 16) fail(path, "'federation.secret' must be a string of at least 16 characters");
  if (f.host !== undefined && typeof f.host !== "string") fail(path, "'federation.host' must be a string");
  return { host: f.host as string | undefined, port: optionalPort(path, f.port), secret: f.secret };
}

function fail(path: string, message: string): never {
  throw new RealmConfigError(path, message);
}

function optionalPort(path: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 65535) fail(path, "port must be 0..65535");
  return value;
}

export function parseRealmConfig(path: string, text: string): RealmConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new RealmConfigError(path, "not valid JSON", { cause });
  }
  if (typeof raw !== "object" || raw === null) fail(path, "expected a JSON object");
  const obj = raw as Record<string, unknown>;
  if (typeof obj.realm !== "string" || !isValidName(obj.realm)) fail(path, "'realm' must be a name (letters, digits, _ - .)");
  if (obj.host !== undefined && typeof obj.host !== "string") fail(path, "'host' must be a string");
  if (!Array.isArray(obj.users)) fail(path, "'users' must be an array");
  const seen = new Set<string>();
  const users = obj.users.map((u: unknown, i): UserRecord => {
    if (typeof u !== "object" || u === null) fail(path, `users[${i}] must be an object`);
    const user = u as Record<string, unknown>;
    if (typeof user.username !== "string" || !isValidName(user.username)) fail(path, `users[${i}].username is not a valid name`);
    if (seen.has(user.username)) fail(path, `user '${user.username}' is listed twice`);
    seen.add(user.username);
    if (typeof user.passwordHash !== "string") fail(path, `users[${i}].passwordHash is missing (plaintext passwords are not accepted)`);
    try {
      parsePasswordHash(user.passwordHash);
    } catch (cause) {
      throw new RealmConfigError(path, `users[${i}].passwordHash: ${(cause as Error).message}`, { cause });
    }
    const displayName = user.displayName === undefined ? user.username : user.displayName;
    if (typeof displayName !== "string") fail(path, `users[${i}].displayName must be a string`);
    return { username: user.username, displayName, passwordHash: user.passwordHash };
  });
  return {
    realm: obj.realm,
    host: obj.host as string | undefined,
    port: optionalPort(path, obj.port),
    users,
    federation: optionalFederation(path, obj.federation),
  };
}

export async function loadRealmConfig(path: string): Promise<RealmConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new RealmConfigError(path, "cannot read the file", { cause });
  }
  return parseRealmConfig(path, text);
}

/** Writes the config atomically (temp file + rename) so a crash never leaves half a file. */
export async function saveRealmConfig(path: string, config: RealmConfig): Promise<void> {
  const body = {
    realm: config.realm,
    ...(config.host === undefined ? {} : { host: config.host }),
    ...(config.port === undefined ? {} : { port: config.port }),
    ...(config.federation === undefined ? {} : { federation: config.federation }),
    users: config.users,
  };
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(body, null, 2) + "\n", "utf8");
  await rename(temp, path);
}
