#!/usr/bin/env node
import { runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { OPERATING_GUIDE, writeConfigReference } from "../docs/config-reference.ts";

const program = new Command("config-reference")
  .description("render the realm and bridge config reference in docs/operating.md from the parsers' key tables")
  .action(async () => {
    const changed = await writeConfigReference();
    console.log(changed ? `rewrote the config reference in ${OPERATING_GUIDE}` : `${OPERATING_GUIDE} is up to date`);
  });

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
