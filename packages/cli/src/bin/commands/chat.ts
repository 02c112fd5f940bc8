import type { Command } from "commander";
import { clientConfigDir } from "../../client-profile.ts";
import { runInteractive } from "../../interactive-session.ts";
import { LiveChatSession } from "../../live-chat-session.ts";
import { TokenCache } from "../../token-cache.ts";
import { addServerFlags, profileOf, serverOf, serversOf, type ServerFlags } from "../credentials-options.ts";

export function registerChat(program: Command): void {
  addServerFlags(program.command("chat", { isDefault: true }).description("interactive client on the live protocol (the default)"))
    .option(
      "-u, --user <name>",
      "log in as this user at start (default: the profile's user); the password is asked, or a remembered token used",
    )
    .option("--log-dir <dir>", "also keep each window's lines in <dir>/<window>.log")
    .action(async (flags: ServerFlags & { readonly user?: string; readonly logDir?: string }) => {
      const profile = await profileOf(flags);
      const user = flags.user ?? profile.user;
      process.exitCode = await new LiveChatSession({
        addresses: serversOf(flags, profile),
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY === true && process.stdout.isTTY === true,
        ...(flags.logDir === undefined ? {} : { logDir: flags.logDir }),
        ...(user === undefined ? {} : { login: user }),
        ...(profile.rememberToken ? { tokens: new TokenCache(clientConfigDir()) } : {}),
      }).run();
    });
  addServerFlags(
    program.command("classic").description("interactive client on the classic protocol (for servers that speak only that)"),
  ).action(async (flags: ServerFlags) => {
    process.exitCode = await runInteractive({
      address: serverOf(flags, await profileOf(flags)),
      input: process.stdin,
      output: process.stdout,
      terminal: process.stdin.isTTY === true && process.stdout.isTTY === true,
    });
  });
}
