#!/usr/bin/env node
import { parsePositiveInt, runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { BENCH_REALM_ARGS, measureThroughput } from "../bench/throughput.ts";

const program = new Command("bench")
  .description("private messages per second through real realm servers and bridges (classic protocol, pipelined)")
  .option("--clients <n>", "sending clients", parsePositiveInt, 20)
  .option("--messages <n>", "messages per client", parsePositiveInt, 2000)
  .option("--pipeline <n>", "requests in flight per client", parsePositiveInt, 64)
  .action(async (flags: { clients: number; messages: number; pipeline: number }) => {
    for (const crossRealm of [false, true]) {
      const r = await measureThroughput({ clients: flags.clients, messagesPerClient: flags.messages, pipeline: flags.pipeline, crossRealm });
      console.log(`${crossRealm ? "cross-realm" : "local      "}: ${r.messages} messages in ${r.seconds.toFixed(2)} s = ${r.perSecond} messages/s (acknowledged = committed)`);
    }
    console.log(`realm limits raised for the run: ${BENCH_REALM_ARGS.join(" ")}`);
  });

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
