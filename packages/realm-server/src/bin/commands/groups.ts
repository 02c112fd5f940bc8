import type { Command } from "commander";
import type { AdminGroup } from "../../admin/admin-protocol.ts";
import { performAdminRequest } from "../admin-request.ts";
import { addRealmLocationFlags, type RealmLocationFlags } from "../realm-location.ts";

const describe = (g: AdminGroup): string =>
  `#${g.name}: ${g.members.length} member${g.members.length === 1 ? "" : "s"}` +
  `${g.online === undefined ? "" : `, ${g.online} in it now`} (${g.members.join(", ") || "nobody"}); ` +
  `made by ${g.createdBy} at ${new Date(g.createdAt).toISOString()}`;

export function registerGroups(program: Command): void {
  addRealmLocationFlags(program.command("groups"))
    .description("list the groups homed on this realm with their members (from its store; a running realm adds who is in each now)")
    .option("--json", "print the groups as JSON")
    .action(async (flags: RealmLocationFlags & { readonly json?: boolean }) => {
      const reply = await performAdminRequest(flags, { op: "group-list" });
      if (!reply.ok) throw new Error(reply.message);
      const groups = reply.groups ?? [];
      if (flags.json === true) process.stdout.write(JSON.stringify(groups) + "\n");
      else process.stdout.write(groups.length === 0 ? "no groups\n" : groups.map(describe).join("\n") + "\n");
    });
}
