#!/usr/bin/env node
import { Command } from "commander";
import { registerRun } from "./commands/run.ts";

const program = new Command("peer-bridge").description("carries private messages and group chat between realms");
registerRun(program);

// `pnpm … start -- --config …` passes the `--` through; drop it so flags stay flags.
const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift();

program.parseAsync(argv, { from: "user" }).catch((err: unknown) => {
  process.stderr.write(`peer-bridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
