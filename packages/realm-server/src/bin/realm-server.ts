#!/usr/bin/env node
import { Command } from "commander";
import { registerAddUser } from "./commands/add-user.ts";
import { registerBackup } from "./commands/backup.ts";
import { registerHashPassword } from "./commands/hash-password.ts";
import { registerServe } from "./commands/serve.ts";

const program = new Command("realm-server").description("a realm of the federated chat system (classic protocol over TCP)");
registerServe(program);
registerHashPassword(program);
registerAddUser(program);
registerBackup(program);

// `pnpm … start -- --config …` passes the `--` through; drop it so flags stay flags.
const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift();

program.parseAsync(argv, { from: "user" }).catch((err: unknown) => {
  process.stderr.write(`realm-server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
