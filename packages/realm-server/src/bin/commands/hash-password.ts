import { promptSecret } from "@realmchat/node-runtime";
import type { Command } from "commander";
import { hashPassword } from "../../password-hash.ts";

export function registerHashPassword(program: Command): void {
  program
    .command("hash-password")
    .description(
      "print the scrypt hash of a password (asked with echo off on a terminal, else read from stdin, if not given) for a config file",
    )
    .argument("[password]", "the password; omit it to keep it out of your shell history")
    .action(async (password: string | undefined) => {
      const secret = password ?? (await promptSecret("password: "));
      process.stdout.write((await hashPassword(secret)) + "\n");
    });
}
