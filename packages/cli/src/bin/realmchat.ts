#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { registerChat } from "./commands/chat.ts";
import { registerInbox } from "./commands/inbox.ts";
import { registerLogin } from "./commands/login.ts";
import { registerSend } from "./commands/send.ts";

const program = new Command("realmchat").description("client for realm chat servers (classic protocol)");
registerChat(program);
registerSend(program);
registerInbox(program);
registerLogin(program);

// `pnpm --filter cli start -- --server …` passes the `--` through; drop it so flags stay flags.
const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift();

program.parseAsync(argv, { from: "user" }).catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`realmchat: ${message}\n`);
  process.exit(err instanceof InvalidArgumentError ? 2 : 1);
});
