#!/usr/bin/env node
import { Command } from "commander";
import { registerRun } from "./commands/run.ts";

const program = new Command("peer-bridge").description("carries private messages and group chat between realms");
registerRun(program);

program.parseAsync().catch((err: unknown) => {
  process.stderr.write(`peer-bridge: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
