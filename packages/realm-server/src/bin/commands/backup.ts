import type { Command } from "commander";
import { backupPostgresRealm } from "../../data-copy/pg-backup.ts";
import { backupRealmDatabase } from "../../data-copy/sqlite-backup.ts";

interface BackupFlags {
  readonly dataDir: string | undefined;
  readonly store: string | undefined;
}

export function registerBackup(program: Command): void {
  program
    .command("backup")
    .description(
      "write a consistent copy of a realm's data to a new SQLite file, safe while the realm runs: " +
        "from its SQLite database (-d) or from PostgreSQL (--store); see docs/operating.md to restore",
    )
    .option("-d, --data-dir <dir>", "the data folder of a realm on SQLite")
    .option(
      "--store <url>",
      "the PostgreSQL database of a realm on several instances (postgres://…, the password from PGPASSWORD or ~/.pgpass)",
    )
    .argument("<file>", "backup file to create")
    .action(async (file: string, flags: BackupFlags) => {
      if ((flags.dataDir === undefined) === (flags.store === undefined))
        throw new Error("give either -d <data dir> or --store <postgres url>");
      if (flags.store !== undefined) {
        if (!/^postgres(ql)?:\/\//.test(flags.store)) throw new Error("--store must be a postgres:// URL");
        const counts = await backupPostgresRealm(flags.store, file);
        const copied = Object.entries(counts)
          .map(([table, n]) => `${table} ${n}`)
          .join(", ");
        process.stdout.write(`backed up the realm in PostgreSQL to ${file}: ${copied}\n`);
        return;
      }
      backupRealmDatabase(flags.dataDir as string, file);
      process.stdout.write(`backed up ${flags.dataDir} to ${file}\n`);
    });
}
