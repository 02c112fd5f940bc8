import { InvalidArgumentError, type Command } from "commander";
import type { Credentials } from "../one-shot.ts";
import { parseServerAddress, type ServerAddress } from "../server-address.ts";

export interface ConnectionFlags {
  readonly server: string;
  readonly user: string | undefined;
  readonly password: string | undefined;
  readonly token: string | undefined;
}

export function addConnectionFlags(command: Command): Command {
  return command
    .option("-s, --server <host:port>", "realm server to talk to", process.env.REALMCHAT_SERVER ?? "127.0.0.1:8889")
    .option("-u, --user <name>", "log in as this user")
    .option("-p, --password <password>", "password (default: $REALMCHAT_PASSWORD)", process.env.REALMCHAT_PASSWORD)
    .option("-t, --token <token>", "a token from `realmchat login` (default: $REALMCHAT_TOKEN)", process.env.REALMCHAT_TOKEN);
}

export function serverOf(flags: { readonly server: string }): ServerAddress {
  try {
    return parseServerAddress(flags.server);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

export function credentialsOf(flags: ConnectionFlags): Credentials {
  if (flags.user !== undefined) {
    if (flags.password === undefined) throw new InvalidArgumentError("--user needs --password (or $REALMCHAT_PASSWORD)");
    return { kind: "password", user: flags.user, password: flags.password };
  }
  if (flags.token !== undefined && flags.token.trim() !== "") return { kind: "token", token: flags.token.trim() };
  throw new InvalidArgumentError("give --user and --password, or --token (or set $REALMCHAT_TOKEN)");
}
