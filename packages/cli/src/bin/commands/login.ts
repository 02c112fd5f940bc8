import { InvalidArgumentError, type Command } from "commander";
import { loginOnce } from "../../one-shot.ts";
import { addConnectionFlags, passwordOf, serverOf, type ConnectionFlags } from "../credentials-options.ts";

export function registerLogin(program: Command): void {
  addConnectionFlags(program.command("login"))
    .description("log in and print a token for REALMCHAT_TOKEN")
    .action(async (flags: ConnectionFlags) => {
      if (flags.user === undefined) throw new InvalidArgumentError("login needs --user (the password is asked for on a terminal)");
      process.stdout.write((await loginOnce(serverOf(flags), flags.user, await passwordOf(flags.user, flags))) + "\n");
    });
}
