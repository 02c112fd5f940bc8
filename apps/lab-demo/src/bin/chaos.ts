#!/usr/bin/env node
import { runCommandLine } from "@realmchat/node-runtime";
import { Command, InvalidArgumentError } from "commander";
import { runChaos } from "../chaos/chaos-run.ts";
import { runHandOffCrash } from "../chaos/hand-off-crash.ts";

interface Flags {
  readonly messages: number;
  readonly killEvery: number;
  readonly seed: number;
  readonly peerDown: boolean;
  readonly instances: number;
  readonly handOff: boolean;
  readonly across: boolean;
}

const positive = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError("expected a whole number");
  return n;
};

const program = new Command("chaos")
  .description("message load on two realms while realm servers and bridges are killed (-9) and restarted; prints what was lost or doubled")
  .option("--messages <n>", "messages in all", positive, 10_000)
  .option("--kill-every <ms>", "mean time between kills (0: none)", positive, 150)
  .option("--seed <n>", "random seed, to repeat a run", positive, Date.now() % 100_000)
  .option("--instances <n>", "instances of each realm server on a local PostgreSQL (cluster mode); each may be killed", positive, 1)
  .option("--peer-down", "keep realm2 down for the whole load, then bring it back", false)
  .option("--hand-off", "instead: one realm, a live recipient in its own process; the realm and that client are killed in turn", false)
  .option("--across", "with --hand-off: the recipient on a second realm, whose server is the one killed", false)
  .action(async (flags: Flags) => {
    if (flags.handOff) {
      await handOffRun(flags);
      return;
    }
    const cluster = flags.instances > 1 ? `, ${flags.instances} instances per realm on PostgreSQL` : "";
    console.log(
      `chaos: ${flags.messages} messages, a kill every ~${flags.killEvery} ms, seed ` +
        `${flags.seed}${cluster}${flags.peerDown ? ", realm2 down throughout" : ""}`,
    );
    const report = await runChaos({
      messages: flags.messages,
      killEveryMs: flags.killEvery,
      seed: flags.seed,
      peerDownThroughout: flags.peerDown,
      instances: Math.max(1, flags.instances),
      settleMs: 120_000,
      say: (line) => console.log(line),
    });
    console.log(
      `sent ${report.sent}, acknowledged ${report.acknowledged}, delivered ${report.delivered}, lost ${report.lost}, ` +
        `duplicated ${report.duplicated}, out of order ${report.outOfOrder}, kills ${report.kills}, ${report.seconds} s`,
    );
    process.exitCode = report.lost === 0 && report.duplicated === 0 && report.outOfOrder === 0 ? 0 : 1;
  });

async function handOffRun(flags: Flags): Promise<void> {
  const where = flags.across ? ", the recipient on realm2" : "";
  console.log(`chaos --hand-off: ${flags.messages} messages, a kill every ~${flags.killEvery} ms, seed ${flags.seed}${where}`);
  const r = await runHandOffCrash({
    messages: flags.messages,
    across: flags.across,
    inFlight: 4,
    killEveryMs: flags.killEvery,
    seed: flags.seed,
    say: (line) => console.log(line),
  });
  console.log(
    `heard "sent" ${r.heardSent}: in the client ${r.inClient}, only in the inbox ${r.inInboxOnly} (in both, same id: ${r.inBoth}); ` +
      `lost ${r.lost}, duplicated ${r.duplicated}; kills: realm ${r.realmKills}, client ${r.clientKills}; ${r.seconds} s`,
  );
  process.exitCode = r.lost === 0 && r.duplicated === 0 && r.heardSent === flags.messages ? 0 : 1;
}

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
