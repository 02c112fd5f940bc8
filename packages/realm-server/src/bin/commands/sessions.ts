import type { Command } from "commander";
import type { AdminSession } from "../../admin/admin-protocol.ts";
import { askRealm } from "../../admin/admin-client.ts";
import { addRealmLocationFlags, realmLocationOf, type RealmLocationFlags } from "../realm-location.ts";

const describe = (s: AdminSession): string =>
  `${s.user ?? "(not logged in)"}  ${s.protocol}  from ${s.peer}  since ${new Date(s.since).toISOString()}`;

export function registerSessions(program: Command): void {
  addRealmLocationFlags(program.command("sessions"))
    .description("list the running realm's client connections: who, over which protocol, from where, since when")
    .option("--json", "print the connections as JSON")
    .action(async (flags: RealmLocationFlags & { readonly json?: boolean }) => {
      const reply = await askRealm((await realmLocationOf(flags)).dataDir, { op: "session-list" });
      if (!reply.ok) throw new Error(reply.message);
      const sessions = reply.sessions ?? [];
      if (flags.json === true) process.stdout.write(JSON.stringify(sessions) + "\n");
      else process.stdout.write(sessions.length === 0 ? "no connections\n" : sessions.map(describe).join("\n") + "\n");
    });
}
