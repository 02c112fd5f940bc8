#!/usr/bin/env node
import { registerSecretCommand, runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { registerCheck } from "./commands/check.ts";
import { registerFingerprint } from "./commands/fingerprint.ts";
import { registerRun } from "./commands/run.ts";
import { registerStatus } from "./commands/status.ts";

const program = new Command("peer-bridge").description("carries private messages and group chat between realms");
registerRun(program);
registerSecretCommand(program, "a pair of bridges (the same in both configs), or realmServer.secret");
registerFingerprint(program);
registerCheck(program);
registerStatus(program);

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url), defaultCommand: "run" });
