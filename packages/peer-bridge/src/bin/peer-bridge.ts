#!/usr/bin/env node
import { runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { registerSecret } from "./commands/secret.ts";
import { registerRun } from "./commands/run.ts";

const program = new Command("peer-bridge").description("carries private messages and group chat between realms");
registerRun(program);
registerSecret(program);

runCommandLine(program);
