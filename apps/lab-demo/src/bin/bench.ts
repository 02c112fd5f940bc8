#!/usr/bin/env node
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { runCommandLine } from "@realmchat/node-runtime";
import { Command, InvalidArgumentError } from "commander";
import { BENCH_REALM_ARGS } from "../bench/bench-limits.ts";
import { measureClusterScaling, scalingTable } from "../bench/cluster-scaling.ts";
import { comparisonTable, connectionsTable, cpuByProcessTable, websocketTable } from "../bench/comparison-report.ts";
import { runComparison, type SystemFigures } from "../bench/comparison-run.ts";
import { measureCommitFloor } from "../bench/commit-floor.ts";
import { sweepChart } from "../bench/sweep-chart.ts";
import { NotBuiltError } from "../errors.ts";
import { workspaceBin } from "../workspace-bin.ts";

interface Flags {
  readonly instances: readonly number[] | undefined;
  readonly scale: number;
  readonly only: readonly string[] | undefined;
  readonly out: string;
  readonly sweep: readonly number[];
  readonly fromSource: boolean;
  readonly tap: boolean;
}

function parseInstanceList(value: string): number[] {
  const list = value.split(",").map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 9))
    throw new InvalidArgumentError("expected instance counts from 1 to 9, such as 1,2,3");
  return list;
}

function parseSweep(value: string): number[] {
  if (value === "none") return [];
  const list = value.split(",").map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 15_000))
    throw new InvalidArgumentError("expected user counts up to 15000, such as 100,1000,10000, or none");
  return list;
}

function parseScale(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 10)) throw new InvalidArgumentError("expected a factor above 0, at most 10");
  return n;
}

async function runScaling(instances: readonly number[]): Promise<void> {
  console.log(
    `realm1 in one process on SQLite, then as ${instances.join(", ")} instance(s) on one local PostgreSQL 18, live protocol, ` +
      `counted at the receivers; CPU summed over the realm's processes and PostgreSQL's (${availableParallelism()} cores)`,
  );
  const { rows, notifyLock } = await measureClusterScaling({
    instances,
    pairs: 20,
    messagesPerPair: 300,
    members: 30,
    senders: 6,
    messagesPerSender: 150,
    window: 10,
    say: (line) => console.log(line),
  });
  console.log(`\n${scalingTable(rows)}\n`);
  console.log("NOTIFY's lock: small transactions committed per second by clients each in a loop, without and with a NOTIFY in each");
  for (const f of notifyLock) console.log(`  ${f.clients} client(s): ${f.plainPerSecond} without, ${f.notifyingPerSecond} with`);
  console.log(
    "private: 20 pairs × 300, sender and receiver on different instances, 10 in flight each; group: 30 members spread over the " +
      "instances, 6 senders × 150, 10 in flight each",
  );
}

async function runPeerComparison(flags: Flags): Promise<void> {
  const floor = await measureCommitFloor();
  console.log(
    `this disk's commit floor (SQLite, WAL, synchronous = FULL, as the realm's store): one small row ` +
      `p50 ${floor.oneRowMicros.p50} µs, p99 ${floor.oneRowMicros.p99} µs; a commit that writes nothing ${floor.emptyMicros} µs ` +
      `(${floor.commits} of each)`,
  );
  console.log(
    `ours and a linked ngircd pair, the same workloads one after the other on this machine (${availableParallelism()} cores), ` +
      `counted at the receivers`,
  );
  const built = !flags.fromSource;
  for (const bin of built
    ? [workspaceBin("@realmchat/realm-server", "realm-server", true), workspaceBin("@realmchat/peer-bridge", "peer-bridge", true)]
    : []) {
    if (!existsSync(bin))
      throw new NotBuiltError(bin, "run `pnpm bench` from the repository's root (it builds the servers first), or pass --from-source");
  }
  console.log(
    `our servers run from ${built ? "the built JavaScript (as deployed)" : "TypeScript source"}` +
      (flags.tap ? ", every frame published at a tap and read" : ""),
  );
  const result = await runComparison({
    built,
    scale: flags.scale,
    sweep: flags.sweep,
    tap: flags.tap,
    ...(flags.only === undefined ? {} : { only: flags.only }),
    say: (line) => console.log(line),
  });
  const systems: SystemFigures[] = [result.ours, ...(result.websocket === undefined ? [] : [result.websocket])];
  if (result.peer !== undefined) systems.push(result.peer);
  const overWebSocket = result.websocket === undefined ? "" : `\n\n${websocketTable(result.ours, result.websocket)}`;
  const table = `${comparisonTable(result.ours.workloads, result.peer?.workloads)}${overWebSocket}\n\n${cpuByProcessTable(systems)}`;
  const connections = flags.sweep.length === 0 ? "" : `\n\n${connectionsTable(systems)}`;
  console.log(`\n${table}${connections}\n`);
  await mkdir(flags.out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = (ext: string): string => join(flags.out, `bench-${stamp}.${ext}`);
  await writeFile(
    file("json"),
    `${JSON.stringify({ at: new Date().toISOString(), cores: availableParallelism(), scale: flags.scale, systems }, null, 2)}\n`,
  );
  await writeFile(file("md"), `${table}${connections}\n`);
  if (flags.sweep.length > 0) {
    const colors = ["#1f77b4", "#d62728"];
    const series = systems.map((s, i) => ({ name: s.system, color: colors[i] ?? "black", points: s.connections?.sweep ?? [] }));
    await writeFile(file("svg"), sweepChart("private messages across, 20 pairs, as more users are connected", series));
  }
  console.log(`figures written to ${file("json")}, .md${flags.sweep.length > 0 ? " and .svg" : ""}`);
}

const program = new Command("bench")
  .description(
    "ours against a linked ngircd pair, counted at the receivers; with --instances, one realm on 1, 2, 3… instances of a shared PostgreSQL",
  )
  .option("--scale <factor>", "multiply every workload's message count (0.1 for a quick run)", parseScale, 1)
  .option("--only <keys>", "run only these workloads (comma-separated keys, e.g. private-local,group)", (v: string) => v.split(","))
  .option(
    "--sweep <levels>",
    "users connected during the sweep (the last is also the idle-memory count), or none",
    parseSweep,
    [100, 1000, 10_000],
  )
  .option("--out <dir>", "where the JSON and markdown figures go", "bench-results")
  .option("--from-source", "run our servers from TypeScript source instead of the build (as the tests do)", false)
  .option("--tap", "our realms and bridges publish every frame at a tap that the bench reads, as the lab view does", false)
  .option("--instances <list>", "instead: instance counts of realm1 to compare on a shared PostgreSQL, such as 1,2,3", parseInstanceList)
  .action(async (flags: Flags) => {
    if (flags.instances !== undefined) await runScaling(flags.instances);
    else await runPeerComparison(flags);
    console.log(`realm limits raised for the run: ${BENCH_REALM_ARGS.join(" ")}`);
  });

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
