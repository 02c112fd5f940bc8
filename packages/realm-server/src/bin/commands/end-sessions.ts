import type { Command } from "commander";
import { performAdminRequest } from "../admin-request.ts";
import { addRealmLocationFlags, type RealmLocationFlags } from "../realm-location.ts";

export function registerEndSessions(program: Command): void {
  addRealmLocationFlags(program.command("end-sessions"))
    .description("end every session of a user: its tokens stop working and, on a running realm, its connections close")
    .argument("<user>", "user name")
    .action(async (user: string, flags: RealmLocationFlags) => {
      const reply = await performAdminRequest(flags, { op: "session-end", user });
      if (!reply.ok) throw new Error(reply.message);
      process.stdout.write(`${reply.message ?? "done"}\n`);
    });
}
