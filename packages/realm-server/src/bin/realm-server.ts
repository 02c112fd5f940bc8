#!/usr/bin/env node
import { registerSecretCommand, runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { registerAddUser } from "./commands/add-user.ts";
import { registerBackup } from "./commands/backup.ts";
import { registerCheck } from "./commands/check.ts";
import { registerGroups } from "./commands/groups.ts";
import { registerHashPassword } from "./commands/hash-password.ts";
import { registerServe } from "./commands/serve.ts";
import { registerStatus } from "./commands/status.ts";
import { registerUser } from "./commands/user.ts";
import { registerSessions } from "./commands/sessions.ts";
import { registerEndSessions } from "./commands/end-sessions.ts";
import { registerRemoveMember } from "./commands/remove-member.ts";
import { registerNotice } from "./commands/notice.ts";
import { registerMoveStore } from "./commands/move-store.ts";

const program = new Command("realm-server").description(
  "a realm of the federated chat system: serves the classic and live protocols over TCP",
);
registerServe(program);
registerHashPassword(program);
registerAddUser(program);
registerBackup(program);
registerUser(program);
registerStatus(program);
registerGroups(program);
registerSessions(program);
registerEndSessions(program);
registerRemoveMember(program);
registerNotice(program);
registerMoveStore(program);
registerCheck(program);
registerSecretCommand(program, "federation.secret (and the bridge's realmServer.secret)");

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url), defaultCommand: "serve" });
