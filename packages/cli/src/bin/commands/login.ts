import { InvalidArgumentError, type Command } from "commander";
import { loginOnce } from "../../one-shot.ts";
import { addConnectionFlags, serverOf, type ConnectionFlags } from "../credentials-options.ts";

export function registerLogin(program: Command): void {
  addConnectionFlags(program.command("login"))
    .description("log in and print a token for REALMCHAT_TOKEN")
    .action(async (flags: ConnectionFlags) => {
      if (flags.user === undefined || flags.password === undefined) throw new InvalidArgumentError("login needs --user and --password");
      process.stdout.write((await loginOnce(serverOf(flags), flags.user, flags.password)) + "\n");
    });
}
