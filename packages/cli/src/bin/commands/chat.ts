import type { Command } from "commander";
import { runInteractive } from "../../interactive-session.ts";
import { runLiveChat } from "../../live-chat-session.ts";
import { addServerFlags, serverOf, type ServerFlags } from "../credentials-options.ts";

export function registerChat(program: Command): void {
  addServerFlags(program.command("chat", { isDefault: true }).description("interactive client on the live protocol (the default)"))
    .option("--log-dir <dir>", "also keep each window's lines in <dir>/<window>.log")
    .action(async (flags: ServerFlags & { readonly logDir?: string }) => {
      process.exitCode = await runLiveChat({
        address: serverOf(flags),
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY === true && process.stdout.isTTY === true,
        ...(flags.logDir === undefined ? {} : { logDir: flags.logDir }),
      });
    });
  addServerFlags(program.command("classic").description("interactive client on the classic protocol (for servers that speak only that)")).action(async (flags: ServerFlags) => {
    process.exitCode = await runInteractive({
      address: serverOf(flags),
      input: process.stdin,
      output: process.stdout,
      terminal: process.stdin.isTTY === true && process.stdout.isTTY === true,
    });
  });
}
