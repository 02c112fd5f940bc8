#!/usr/bin/env node
import { writeFile } from "node:fs/promises";
import { runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { abuseTable, runAbuse } from "../abuse/abuse-run.ts";

interface AbuseFlags {
  readonly only: string[] | undefined;
  readonly json: string | undefined;
}

const program = new Command("abuse")
  .description("attacks a two-realm topology on 127.0.0.1 while honest users chat, and prints what held")
  .option("--only <words...>", "run only the attacks whose names contain these words")
  .option("--json <file>", "also write the rows as JSON")
  .action(async (flags: AbuseFlags) => {
    const rows = await runAbuse({
      ...(flags.only === undefined ? {} : { only: flags.only }),
      log: (line) => process.stderr.write(`${line}\n`),
    });
    console.log(abuseTable(rows));
    if (flags.json !== undefined)
      await writeFile(
        flags.json,
        JSON.stringify(
          rows.map((r) => ({ ...r, peakMb: Object.fromEntries(r.peakMb) })),
          null,
          2,
        ),
      );
    const lost = rows.reduce((n, r) => n + r.honest.lost, 0);
    const unlimited = rows.filter((r) => r.outcome !== undefined && !r.outcome.limited).map((r) => r.attack);
    console.log(`honest messages lost: ${lost}; attacks not limited: ${unlimited.length === 0 ? "none" : unlimited.join(", ")}`);
    if (lost > 0 || unlimited.length > 0) process.exitCode = 1;
  });

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
