import type { Command } from "commander";
import { askRealm } from "../../admin/admin-client.ts";
import { addRealmLocationFlags, realmLocationOf, type RealmLocationFlags } from "../realm-location.ts";

export function registerNotice(program: Command): void {
  addRealmLocationFlags(program.command("notice"))
    .description("show one line to everyone connected to the running realm (live clients at once; classic clients in a group)")
    .argument("<text...>", "the notice (words are joined with spaces)")
    .action(async (words: readonly string[], flags: RealmLocationFlags) => {
      const reply = await askRealm((await realmLocationOf(flags)).dataDir, { op: "notice", text: words.join(" ") });
      if (!reply.ok) throw new Error(reply.message);
      process.stdout.write(`${reply.message ?? "done"}\n`);
    });
}
