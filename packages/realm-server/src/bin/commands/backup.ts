import type { Command } from "commander";
import { backupRealmDatabase } from "../../backup.ts";

export function registerBackup(program: Command): void {
  program
    .command("backup")
    .description("write a consistent copy of a realm's database (safe while the server runs)")
    .requiredOption("-d, --data-dir <dir>", "the realm's data folder")
    .argument("<file>", "backup file to create")
    .action((file: string, options: { readonly dataDir: string }) => {
      backupRealmDatabase(options.dataDir, file);
      process.stdout.write(`backed up ${options.dataDir} to ${file}\n`);
    });
}
