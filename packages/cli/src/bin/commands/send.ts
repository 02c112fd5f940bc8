import type { Command } from "commander";
import { sendOnce } from "../../one-shot.ts";
import { addConnectionFlags, credentialsOf, profileOf, serverOf, type ConnectionFlags } from "../credentials-options.ts";

export function registerSend(program: Command): void {
  addConnectionFlags(program.command("send"))
    .description("send one private message and exit")
    .argument("<to>", "recipient: user or user@realm")
    .argument("<text...>", "message text")
    .option("--json", "print the server's answer as JSON")
    .action(async (to: string, words: string[], flags: ConnectionFlags & { readonly json?: boolean }) => {
      const profile = await profileOf(flags);
      const sent = await sendOnce(serverOf(flags, profile), await credentialsOf(flags, profile), to, words.join(" "));
      process.stdout.write(
        flags.json === true ? JSON.stringify({ to, ...sent }) + "\n" : `${sent.queued ? "queued for" : "message sent to"} ${to}\n`,
      );
    });
}
