#!/usr/bin/env node
import { Command, InvalidArgumentError } from "commander";
import { BENCH_REALM_ARGS, measureThroughput } from "../bench/throughput.ts";

const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive whole number");
  return n;
};

const program = new Command("bench")
  .description("private messages per second through real realm servers and bridges (classic protocol, pipelined)")
  .option("--clients <n>", "sending clients", count, 20)
  .option("--messages <n>", "messages per client", count, 2000)
  .option("--pipeline <n>", "requests in flight per client", count, 64)
  .action(async (flags: { clients: number; messages: number; pipeline: number }) => {
    for (const crossRealm of [false, true]) {
      const r = await measureThroughput({ clients: flags.clients, messagesPerClient: flags.messages, pipeline: flags.pipeline, crossRealm });
      console.log(`${crossRealm ? "cross-realm" : "local      "}: ${r.messages} messages in ${r.seconds.toFixed(2)} s = ${r.perSecond} messages/s (acknowledged = committed)`);
    }
    console.log(`realm limits raised for the run: ${BENCH_REALM_ARGS.join(" ")}`);
  });

program.parseAsync(process.argv.slice(2).filter((a, i) => !(i === 0 && a === "--")), { from: "user" }).catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
