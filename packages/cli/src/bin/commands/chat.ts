import type { Command } from "commander";
import { runInteractive } from "../../interactive-session.ts";
import { runLiveChat } from "../../live-chat-session.ts";
import { serverOf } from "../credentials-options.ts";

export function registerChat(program: Command): void {
  program
    .command("chat", { isDefault: true })
    .description("interactive client on the live protocol (the default)")
    .option("-s, --server <host:port>", "realm server to talk to", process.env.REALMCHAT_SERVER ?? "127.0.0.1:8889")
    .action(async (flags: { readonly server: string }) => {
      process.exitCode = await runLiveChat({
        address: serverOf(flags),
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY === true && process.stdout.isTTY === true,
      });
    });
  program
    .command("classic")
    .description("interactive client on the classic protocol (for servers that speak only that)")
    .option("-s, --server <host:port>", "realm server to talk to", process.env.REALMCHAT_SERVER ?? "127.0.0.1:8889")
    .action(async (flags: { readonly server: string }) => {
      const code = await runInteractive({
        address: serverOf(flags),
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY === true && process.stdout.isTTY === true,
      });
      process.exitCode = code;
    });
}
