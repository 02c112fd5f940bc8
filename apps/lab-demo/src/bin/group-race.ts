#!/usr/bin/env node
import { parsePositiveInt, runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { runGroupRace } from "../group-race/group-race.ts";

const program = new Command("group-race")
  .description(
    "users on several realms join a new group name at nearly the same moment, round after round; counts how often it ended as one group",
  )
  .option("--realms <n>", "2 or 3", parsePositiveInt, 3)
  .option("--rounds <n>", "rounds, each with a new name", parsePositiveInt, 100)
  .option("--spread-ms <n>", "the joins of a round start within this many milliseconds", parsePositiveInt, 50)
  .action(async (flags: { realms: number; rounds: number; spreadMs: number }) => {
    if (flags.realms < 2 || flags.realms > 3) throw new Error("--realms must be 2 or 3");
    const result = await runGroupRace(flags);
    for (const failure of result.failures) console.log(`failed: ${failure}`);
    console.log(
      `${result.realms} realms, ${result.rounds} rounds in ${result.seconds} s: ${result.oneGroup} ended as one group, ` +
        `${result.allHeard} with every line heard once; ${result.merged} began as several groups and merged`,
    );
    if (result.allHeard !== result.rounds) process.exitCode = 1;
  });

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
