#!/usr/bin/env node
import { parsePort, runCommandLine } from "@realmchat/node-runtime";
import { Command, InvalidArgumentError } from "commander";
import { DEFAULT_LAB_DEMO_OPTIONS, runLabDemo } from "../lab-demo.ts";

interface Flags {
  readonly once: boolean;
  readonly configDir: string;
  readonly dataDir: string;
  readonly anyPort: boolean;
  readonly verbose: boolean;
  readonly instances: number;
  readonly labPort: number;
}

function parseInstances(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 9) throw new InvalidArgumentError("expected a whole number from 1 to 9");
  return n;
}

const program = new Command("lab-demo")
  .description("start the seed's lab topology as separate processes, print a tour, and stay up")
  .option("--once", "run the tour once and exit (non-zero if a step failed)", false)
  .option("--data-dir <dir>", "where the realms and bridges keep their SQLite files", DEFAULT_LAB_DEMO_OPTIONS.dataDir)
  .option("--any-port", "let the OS pick free ports instead of the configured ones", false)
  .option("--config-dir <dir>", "folder with realm1.json (and realm2.json, bridges)", DEFAULT_LAB_DEMO_OPTIONS.configDir)
  .option(
    "--instances <n>",
    "instances of each realm server, sharing a local PostgreSQL (cluster mode)",
    parseInstances,
    DEFAULT_LAB_DEMO_OPTIONS.instances,
  )
  .option("--lab-port <port>", "where the lab view is served (0 picks a free port)", parsePort, DEFAULT_LAB_DEMO_OPTIONS.labPort)
  .option("--verbose", "show every process's log on the terminal too (they always go to <data dir>/logs/)", false)
  .action(async (flags: Flags) => {
    process.exitCode = await runLabDemo({
      configDir: flags.configDir,
      dataDir: flags.dataDir,
      once: flags.once,
      anyPort: flags.anyPort,
      verbose: flags.verbose,
      instances: flags.instances,
      labPort: flags.anyPort ? 0 : flags.labPort,
      labStepPauseMs: DEFAULT_LAB_DEMO_OPTIONS.labStepPauseMs,
      say: (line) => console.log(line),
    });
  });

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
