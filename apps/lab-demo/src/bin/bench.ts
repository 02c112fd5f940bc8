#!/usr/bin/env node
import { availableParallelism } from "node:os";
import { parsePositiveInt, runCommandLine } from "@realmchat/node-runtime";
import { Command, InvalidArgumentError } from "commander";
import { measureClusterScaling, scalingTable } from "../bench/cluster-scaling.ts";
import { BENCH_REALM_ARGS, measureThroughput } from "../bench/throughput.ts";

interface Flags {
  readonly clients: number;
  readonly messages: number;
  readonly pipeline: number;
  readonly instances: readonly number[] | undefined;
}

function parseInstanceList(value: string): number[] {
  const list = value.split(",").map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < 1 || n > 9)) throw new InvalidArgumentError("expected instance counts from 1 to 9, such as 1,2,3");
  return list;
}

async function runScaling(instances: readonly number[]): Promise<void> {
  console.log(`realm1 as ${instances.join(", ")} instance(s) on one local PostgreSQL 18, live protocol, counted at the receivers (${availableParallelism()} cores)`);
  const rows = await measureClusterScaling({
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
  console.log("private: 20 pairs × 300, sender and receiver on different instances, 10 in flight each; group: 30 members spread over the instances, 6 senders × 150, 10 in flight each");
}

const program = new Command("bench")
  .description("private messages per second through real realm servers and bridges (classic protocol, pipelined); with --instances, how one realm scales over several instances on PostgreSQL")
  .option("--clients <n>", "sending clients", parsePositiveInt, 20)
  .option("--messages <n>", "messages per client", parsePositiveInt, 2000)
  .option("--pipeline <n>", "requests in flight per client", parsePositiveInt, 64)
  .option("--instances <list>", "instance counts of realm1 to compare on a shared PostgreSQL, such as 1,2,3", parseInstanceList)
  .action(async (flags: Flags) => {
    if (flags.instances !== undefined) {
      await runScaling(flags.instances);
    } else {
      for (const crossRealm of [false, true]) {
        const r = await measureThroughput({ clients: flags.clients, messagesPerClient: flags.messages, pipeline: flags.pipeline, crossRealm });
        console.log(`${crossRealm ? "cross-realm" : "local      "}: ${r.messages} messages in ${r.seconds.toFixed(2)} s = ${r.perSecond} messages/s (acknowledged = committed)`);
      }
    }
    console.log(`realm limits raised for the run: ${BENCH_REALM_ARGS.join(" ")}`);
  });

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
