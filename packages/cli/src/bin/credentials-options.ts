import { canPrompt, promptSecret } from "@realmchat/node-runtime";
import { InvalidArgumentError, type Command } from "commander";
import { loadClientProfile, type ClientProfile } from "../client-profile.ts";
import type { Credentials } from "../one-shot.ts";
import { parseServerAddresses, type ServerAddress } from "../server-address.ts";

export interface ConnectionFlags extends ServerFlags {
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly token: string | undefined;
}

/** `--server` and the TLS flags, for every command that connects. */
export function addServerFlags(command: Command): Command {
  return command
    .option(
      "-s, --server <host:port>",
      "realm server to talk to; several of one realm as host:port,host:port are tried in turn (default: $REALMCHAT_SERVER, " +
        "else the profile's, else 127.0.0.1:8889)",
    )
    .option(
      "-P, --profile <name>",
      "a profile of ~/.config/realmchat/config.json (server, user, remembered token); without it, the file's top level",
    )
    .option("--tls", "connect with TLS, checking the server's certificate against the system's authorities")
    .option("--tls-fingerprint <sha256>", "connect with TLS and trust only the certificate with this fingerprint (AB:CD:…)");
}

export function addConnectionFlags(command: Command): Command {
  return addServerFlags(command)
    .option("-u, --user <name>", "log in as this user")
    .option("-p, --password <password>", "password (default: $REALMCHAT_PASSWORD)")
    .option("-t, --token <token>", "a token from `realmchat login` (default: $REALMCHAT_TOKEN)");
}

export interface ServerFlags {
  readonly server: string | undefined;
  readonly profile?: string | undefined;
  readonly tls?: boolean | undefined;
  readonly tlsFingerprint?: string | undefined;
}

/** The profile the flags name (or the config file's top level, or nothing). */
export function profileOf(flags: ServerFlags): Promise<ClientProfile> {
  return loadClientProfile(flags.profile);
}

/** The servers to try, in turn: flags first, then the environment, then the profile. */
export function serversOf(flags: ServerFlags, profile: ClientProfile = { rememberToken: false }): ServerAddress[] {
  let addresses: ServerAddress[];
  try {
    // Read here, not as commander defaults, so that --help never prints their values.
    addresses = parseServerAddresses(flags.server ?? process.env.REALMCHAT_SERVER ?? profile.server ?? "127.0.0.1:8889");
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  const fingerprint = flags.tlsFingerprint ?? profile.tlsFingerprint;
  const tls = fingerprint !== undefined ? { fingerprint } : flags.tls === true || profile.tls === true ? {} : undefined;
  return addresses.map((address) => (tls === undefined ? address : { ...address, tls }));
}

/** The first server (one-shot commands and the classic client try only it). */
export function serverOf(flags: ServerFlags, profile: ClientProfile = { rememberToken: false }): ServerAddress {
  return serversOf(flags, profile)[0] as ServerAddress;
}

/** The password for `user`: the flag, then $REALMCHAT_PASSWORD, then asked with echo off on a terminal. */
export async function passwordOf(user: string, flags: Pick<ConnectionFlags, "password">): Promise<string> {
  const given = flags.password ?? process.env.REALMCHAT_PASSWORD;
  if (given !== undefined) return given;
  if (!canPrompt()) throw new InvalidArgumentError("--user needs --password (or $REALMCHAT_PASSWORD) when not run on a terminal");
  return promptSecret(`password for ${user}: `);
}

export async function credentialsOf(flags: ConnectionFlags, profile: ClientProfile = { rememberToken: false }): Promise<Credentials> {
  if (flags.user !== undefined) return { kind: "password", user: flags.user, password: await passwordOf(flags.user, flags) };
  const token = flags.token ?? process.env.REALMCHAT_TOKEN;
  if (token !== undefined && token.trim() !== "") return { kind: "token", token: token.trim() };
  if (profile.user !== undefined) return { kind: "password", user: profile.user, password: await passwordOf(profile.user, flags) };
  throw new InvalidArgumentError("give --user and --password, or --token (or set $REALMCHAT_TOKEN)");
}
