#!/usr/bin/env node
import { runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { registerFingerprint } from "./commands/fingerprint.ts";
import { registerSecret } from "./commands/secret.ts";
import { registerRun } from "./commands/run.ts";

const program = new Command("peer-bridge").description("carries private messages and group chat between realms");
registerRun(program);
registerSecret(program);
registerFingerprint(program);

runCommandLine(program);
