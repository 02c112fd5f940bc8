import { join } from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { loadRealmConfig } from "../realm-config.ts";

/** `-d` or `-c`: which realm an operator command is about. */
export interface RealmLocationFlags {
  readonly dataDir: string | undefined;
  readonly config: string | undefined;
}

export function addRealmLocationFlags(command: Command): Command {
  return command
    .option("-d, --data-dir <dir>", "the realm's data folder")
    .option("-c, --config <file>", "the realm's config file: its data folder is then ./data/<realm>, as `serve` has it");
}

/** The realm's data folder, as `serve` would use it. */
export async function dataDirOf(flags: RealmLocationFlags): Promise<string> {
  if (flags.dataDir !== undefined) return flags.dataDir;
  if (flags.config !== undefined) return join("data", (await loadRealmConfig(flags.config)).realm);
  throw new InvalidArgumentError("say which realm: --data-dir <dir> or --config <file>");
}
