#!/usr/bin/env node
import { parsePositiveInt, runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { runFuzz } from "../fuzz/fuzz-run.ts";

const program = new Command("fuzz")
  .description("seeded garbage at the client, federation and bridge ports of two realms; then checks nothing crashed or grew")
  .option("--connections <n>", "connections per port, each with one generated input", parsePositiveInt, 2000)
  .option("--seed <n>", "seed of the generator (a run can be repeated exactly)", parsePositiveInt, 1)
  .action(async (flags: { connections: number; seed: number }) => {
    const result = await runFuzz(flags);
    for (const r of result.reports)
      console.log(`${r.target}: ${r.connections} connections, ${r.bytes} bytes, ${r.closedByServer} closed by the server`);
    console.log(
      `processes running: ${result.allRunning}; federation works after: ${result.federationWorks}; RSS MB: ${JSON.stringify(result.rssMb)}`,
    );
    if (!result.allRunning || !result.federationWorks) process.exitCode = 1;
  });

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
