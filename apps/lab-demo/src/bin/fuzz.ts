#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { runFuzz } from "../fuzz/fuzz-run.ts";

const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive whole number");
  return n;
};

const program = new Command("fuzz")
  .description("seeded garbage at the client, federation and bridge ports of two realms; then checks nothing crashed or grew")
  .option("--connections <n>", "connections per port, each with one generated input", count, 2000)
  .option("--seed <n>", "seed of the generator (a run can be repeated exactly)", count, 1)
  .action(async (flags: { connections: number; seed: number }) => {
    const result = await runFuzz(flags);
    for (const r of result.reports) console.log(`${r.target}: ${r.connections} connections, ${r.bytes} bytes, ${r.closedByServer} closed by the server`);
    console.log(`processes running: ${result.allRunning}; federation works after: ${result.federationWorks}; RSS MB: ${JSON.stringify(result.rssMb)}`);
    if (!result.allRunning || !result.federationWorks) process.exitCode = 1;
  });

const argv = process.argv.slice(2);
if (argv[0] === "--") argv.shift();
program.parseAsync(argv, { from: "user" }).catch((err: unknown) => {
  process.stderr.write(`fuzz: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
