import { generateSecret } from "@realmchat/node-runtime";
import type { Command } from "commander";

export function registerSecret(program: Command): void {
  program
    .command("secret")
    .description("print a new random secret for a federation link (put the same one in both configs of the pair)")
    .action(() => {
      process.stdout.write(generateSecret() + "\n");
    });
}
