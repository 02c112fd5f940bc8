import type { Command } from "commander";
import { askRealm } from "../../admin/admin-client.ts";
import { addRealmLocationFlags, realmLocationOf, type RealmLocationFlags } from "../realm-location.ts";

export function registerStatus(program: Command): void {
  addRealmLocationFlags(program.command("status"))
    .description("ask a running realm who is online, its groups, its peers and its queue")
    .option("--json", "print the status as JSON")
    .action(async (flags: RealmLocationFlags & { readonly json?: boolean }) => {
      const reply = await askRealm((await realmLocationOf(flags)).dataDir, { op: "status" });
      if (!reply.ok || reply.status === undefined) throw new Error(reply.ok ? "no status in the answer" : reply.message);
      const s = reply.status;
      if (flags.json === true) {
        process.stdout.write(JSON.stringify(s) + "\n");
        return;
      }
      const lines = [
        `realm ${s.realm}, up ${s.uptimeSeconds} s`,
        `connections: ${s.connections}; online: ${s.online.length === 0 ? "nobody" : s.online.join(", ")} (of ${s.users} users)`,
        `groups: ${s.groups.length === 0 ? "none" : s.groups.map((g) => `#${g.name} (${g.online} in it)`).join(", ")}`,
        `bridge: ${s.bridgeLinked ? "linked" : "not linked"}; peers reachable: ${s.peersUp.length === 0 ? "none" : s.peersUp.join(", ")}`,
        `waiting for the bridge: ${s.outbox} message${s.outbox === 1 ? "" : "s"}`,
      ];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
