import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { ConfigFileError, ConfigReader } from "@realmchat/node-runtime";

/** Where and as whom the client connects when the command line does not say (README, "Profiles"). */
export interface ClientProfile {
  readonly server?: string;
  readonly user?: string;
  readonly tls?: boolean;
  readonly tlsFingerprint?: string;
  /** Keep the session token after a login, so that the next start needs no password. */
  readonly rememberToken: boolean;
}

/** The client's own folder: `$XDG_CONFIG_HOME/realmchat`, else `~/.config/realmchat`. */
export function clientConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== "" ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
  return join(base, "realmchat");
}

const KEYS = ["server", "user", "tls", "tlsFingerprint", "rememberToken"] as const;

function profileOf(read: ConfigReader, value: Record<string, unknown>, where: string): ClientProfile {
  read.only(value, where === "the file" ? [...KEYS, "profiles"] : KEYS, where);
  const server = read.optionalString(value.server, `${where === "the file" ? "" : `${where}.`}server`);
  const user = value.user === undefined ? undefined : read.name(value.user, "user");
  if (value.tls !== undefined && typeof value.tls !== "boolean") read.fail(`'tls' in ${where} must be true or false`);
  if (value.rememberToken !== undefined && typeof value.rememberToken !== "boolean")
    read.fail(`'rememberToken' in ${where} must be true or false`);
  const tlsFingerprint = read.optionalFingerprint(value.tlsFingerprint, "tlsFingerprint");
  return {
    ...(server === undefined ? {} : { server }),
    ...(user === undefined ? {} : { user }),
    ...(value.tls === true ? { tls: true } : {}),
    ...(tlsFingerprint === undefined ? {} : { tlsFingerprint }),
    rememberToken: value.rememberToken === true,
  };
}

/**
 * The profile `name` (or the file's top level) from `<config dir>/config.json`; no file and no
 * name means an empty profile. A profile asked for that is not there is an error.
 */
export async function loadClientProfile(name: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ClientProfile> {
  const path = join(clientConfigDir(env), "config.json");
  const error = (p: string, message: string, options?: { cause?: unknown }): ConfigFileError => new ConfigFileError(p, message, options);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== "ENOENT") throw error(path, "cannot read the file", { cause });
    if (name !== undefined) throw error(path, `no profile '${name}': the file does not exist`);
    return { rememberToken: false };
  }
  const read = new ConfigReader(path, error);
  const top = read.parseObject(text);
  if (name === undefined) return profileOf(read, top, "the file");
  const profiles = top.profiles === undefined ? {} : read.object(top.profiles, "profiles");
  const chosen = profiles[name];
  if (chosen === undefined) read.fail(`no profile '${name}' (profiles: ${Object.keys(profiles).join(", ") || "none"})`);
  return profileOf(read, read.object(chosen, `profiles.${name}`), `profiles.${name}`);
}
