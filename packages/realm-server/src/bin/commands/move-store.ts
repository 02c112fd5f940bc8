import type { Command } from "commander";
import { askRealm, RealmNotRunningError } from "../../admin/admin-client.ts";
import { moveStoreToPostgres } from "../../data-copy/move-store.ts";
import { addRealmLocationFlags, realmLocationOf, type RealmLocationFlags } from "../realm-location.ts";

/** A realm that still runs would go on writing to the file being moved: it must be stopped first. */
async function refuseIfRunning(dataDir: string): Promise<void> {
  try {
    await askRealm(dataDir, { op: "status" });
  } catch (err) {
    if (err instanceof RealmNotRunningError) return;
    throw err;
  }
  throw new Error(`the realm on ${dataDir} is running: stop it first, move its data, then start it with --store`);
}

export function registerMoveStore(program: Command): void {
  addRealmLocationFlags(program.command("move-store"))
    .description(
      "move a stopped realm's data from its SQLite file into an empty PostgreSQL database, in one transaction " +
        "(then run it, or several instances of it, with --store or the config's store)",
    )
    .requiredOption("--to <url>", "postgres://user@host:port/database (the password from PGPASSWORD or ~/.pgpass)")
    .action(async (flags: RealmLocationFlags & { readonly to: string }) => {
      if (!/^postgres(ql)?:\/\//.test(flags.to)) throw new Error("--to must be a postgres:// URL");
      const { dataDir } = await realmLocationOf(flags);
      await refuseIfRunning(dataDir);
      const counts = await moveStoreToPostgres(dataDir, flags.to);
      const moved = Object.entries(counts)
        .map(([table, n]) => `${table} ${n}`)
        .join(", ");
      process.stdout.write(`moved ${dataDir} to PostgreSQL: ${moved}\n`);
    });
}
