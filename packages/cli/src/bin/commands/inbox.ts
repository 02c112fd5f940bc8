import type { Command } from "commander";
import { formatInbox, styleFor } from "../../format.ts";
import { inboxOnce } from "../../one-shot.ts";
import { addConnectionFlags, credentialsOf, profileOf, serverOf, type ConnectionFlags } from "../credentials-options.ts";

export function registerInbox(program: Command): void {
  addConnectionFlags(program.command("inbox"))
    .description("print and empty your inbox, then exit")
    .option("--json", "print the messages as a JSON array")
    .action(async (flags: ConnectionFlags & { readonly json?: boolean }) => {
      const profile = await profileOf(flags);
      const entries = await inboxOnce(serverOf(flags, profile), await credentialsOf(flags, profile));
      process.stdout.write(flags.json === true ? JSON.stringify(entries) + "\n" : formatInbox(entries, styleFor(process.stdout)) + "\n");
    });
}
