import type { Command } from "commander";
import { performAdminRequest } from "../admin-request.ts";
import { addRealmLocationFlags, type RealmLocationFlags } from "../realm-location.ts";

export function registerRemoveMember(program: Command): void {
  addRealmLocationFlags(program.command("remove-member"))
    .description("take a member out of a group homed on this realm: off its member list and, on a running realm, out of it now")
    .argument("<group>", "group name")
    .argument("<member>", "the member as `realm-server groups` lists it (user, or user@realm for another realm's)")
    .action(async (group: string, member: string, flags: RealmLocationFlags) => {
      const reply = await performAdminRequest(flags, { op: "group-remove", group, member });
      if (!reply.ok) throw new Error(reply.message);
      process.stdout.write(`${reply.message ?? "done"}\n`);
    });
}
