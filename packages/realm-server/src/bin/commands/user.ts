import { promptSecret } from "@realmchat/node-runtime";
import type { Command } from "commander";
import { readFile, writeFile } from "node:fs/promises";
import { isExportedUser, type AdminReply } from "../../admin/admin-protocol.ts";
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
  addRealmLocationFlags(user.command("export"))
    .description("write every user as JSON (names and password hashes, no passwords), for `user import` on another realm")
    .option("-o, --out <file>", "write to this file, readable by its owner only (default: standard output)")
    .action(async (flags: RealmLocationFlags & { readonly out?: string }) => {
      const reply = await perform(flags, { op: "user-export" });
      if (!reply.ok) throw new Error(reply.message);
      const text = JSON.stringify(reply.exported ?? [], null, 2) + "\n";
      if (flags.out === undefined) process.stdout.write(text);
      else await writeFile(flags.out, text, { mode: 0o600 });
    });
  addRealmLocationFlags(user.command("import"))
    .description("add the users of a `user export` file that are not here yet (those here already are left as they are)")
    .argument("<file>", "a file written by `realm-server user export`")
    .action(async (file: string, flags: RealmLocationFlags) => {
      const users: unknown = JSON.parse(await readFile(file, "utf8"));
      if (!Array.isArray(users) || !users.every(isExportedUser))
        throw new Error(`${file}: not a user export (a JSON array of {username, displayName, passwordHash})`);
      finish(await perform(flags, { op: "user-import", users }));
    });
  addRealmLocationFlags(user.command("list"))
    .description("list the users")
    .action(async (flags: RealmLocationFlags) => finish(await perform(flags, { op: "user-list" })));
}
