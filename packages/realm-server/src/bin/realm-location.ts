import { InvalidArgumentError, type Command } from "commander";
import { defaultDataDir, loadRealmConfig, type RealmConfig } from "../realm-config.ts";

/** `-d` or `-c`: which realm an operator command is about. */
export interface RealmLocationFlags {
  readonly dataDir: string | undefined;
  readonly config: string | undefined;
}

export function addRealmLocationFlags(command: Command): Command {
  return command
    .option("-d, --data-dir <dir>", "the realm's data folder")
    .option(
      "-c, --config <file>",
      "the realm's config file: its data folder is then the config's dataDir, else ./data/<realm>, as for `serve`",
    );
}

/** Where a realm keeps its data, as `serve` would use it: its folder, and its PostgreSQL database if it has one. */
export interface RealmLocation {
  readonly dataDir: string;
  readonly storeUrl: string | undefined;
}

export async function realmLocationOf(flags: RealmLocationFlags): Promise<RealmLocation> {
  if (flags.dataDir === undefined && flags.config === undefined)
    throw new InvalidArgumentError("say which realm: --data-dir <dir> or --config <file>");
  const config = flags.config === undefined ? undefined : await loadRealmConfig(flags.config);
  return { dataDir: flags.dataDir ?? defaultDataDir(config as RealmConfig), storeUrl: config?.store };
}
