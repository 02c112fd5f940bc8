import { promptSecret } from "@realmchat/node-runtime";
import type { Command } from "commander";
import type { AdminReply } from "../../admin/admin-protocol.ts";
import { hashPassword } from "../../password-hash.ts";
import { performAdminRequest as perform } from "../admin-request.ts";
import { addRealmLocationFlags, type RealmLocationFlags } from "../realm-location.ts";

function finish(reply: AdminReply): void {
  if (!reply.ok) throw new Error(reply.message);
  if (reply.users !== undefined)
    for (const u of reply.users) process.stdout.write(u.name === u.user ? `${u.user}\n` : `${u.user}  (${u.name})\n`);
  if (reply.message !== undefined) process.stdout.write(`${reply.message}\n`);
}

const newPassword = async (user: string, given: string | undefined): Promise<string> =>
  hashPassword(given ?? (await promptSecret(`password for ${user}: `)));

export function registerUser(program: Command): void {
  const user = program.command("user").description("manage the realm's users in its store; a running realm takes the change at once");
  addRealmLocationFlags(user.command("add"))
    .description("add a user")
    .argument("<user>", "user name")
    .option("-n, --name <display name>", "name shown to others (default: the user name)")
    .option("--password <password>", "password (default: asked with echo off on a terminal, else one line from stdin)")
    .action(async (name: string, flags: RealmLocationFlags & { readonly name?: string; readonly password?: string }) => {
      finish(
        await perform(flags, {
          op: "user-add",
          user: name,
          name: flags.name ?? name,
          passwordHash: await newPassword(name, flags.password),
        }),
      );
    });
  addRealmLocationFlags(user.command("del"))
    .description("delete a user with its inbox; its sessions end")
    .argument("<user>", "user name")
    .action(async (name: string, flags: RealmLocationFlags) => finish(await perform(flags, { op: "user-del", user: name })));
  addRealmLocationFlags(user.command("passwd"))
    .description("change a user's password")
    .argument("<user>", "user name")
    .option("--password <password>", "new password (default: asked with echo off on a terminal, else one line from stdin)")
    .action(async (name: string, flags: RealmLocationFlags & { readonly password?: string }) => {
      finish(await perform(flags, { op: "user-passwd", user: name, passwordHash: await newPassword(name, flags.password) }));
    });
  addRealmLocationFlags(user.command("list"))
    .description("list the users")
    .action(async (flags: RealmLocationFlags) => finish(await perform(flags, { op: "user-list" })));
}
