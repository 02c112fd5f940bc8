import { access } from "node:fs/promises";
import type { Command } from "commander";
import { addUserToConfig, createRealmConfig } from "../../user-admin.ts";
import { promptSecret } from "@realmchat/node-runtime";

interface AddUserOptions {
  readonly config: string;
  readonly user: string;
  readonly name: string | undefined;
  readonly password: string | undefined;
  readonly realm: string | undefined;
}

export function registerAddUser(program: Command): void {
  program
    .command("add-user")
    .description("add a user to a realm config file (or change its password), storing a scrypt hash")
    .requiredOption("-c, --config <file>", "realm config file to edit")
    .requiredOption("-u, --user <name>", "username")
    .option("-n, --name <display name>", "display name shown to others")
    .option("--password <password>", "password (default: asked with echo off on a terminal, else one line from stdin)")
    .option("--realm <name>", "create the config file for this realm if it does not exist")
    .action(async (options: AddUserOptions) => {
      const exists = await access(options.config).then(
        () => true,
        () => false,
      );
      if (!exists && options.realm !== undefined) await createRealmConfig(options.config, options.realm);
      const password = options.password ?? (await promptSecret(`password for ${options.user}: `));
      const { replaced } = await addUserToConfig(options.config, {
        username: options.user,
        displayName: options.name,
        password,
      });
      process.stdout.write(`${replaced ? "updated" : "added"} user ${options.user} in ${options.config}\n`);
    });
}
