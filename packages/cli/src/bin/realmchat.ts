#!/usr/bin/env node
import { runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { registerChat } from "./commands/chat.ts";
import { registerInbox } from "./commands/inbox.ts";
import { registerLogin } from "./commands/login.ts";
import { registerSend } from "./commands/send.ts";

const program = new Command("realmchat").description(
  "client for realm chat servers: interactive chat (live protocol), one-shot send, inbox and login",
);
registerChat(program);
registerSend(program);
registerInbox(program);
registerLogin(program);

runCommandLine(program, {
  packageJson: new URL("../../package.json", import.meta.url),
  defaultCommand: "chat",
  environment: [
    ["REALMCHAT_SERVER", "realm server (host:port) when --server is not given"],
    ["REALMCHAT_PASSWORD", "password when --password is not given"],
    ["REALMCHAT_TOKEN", "token when --token is not given"],
    ["NO_COLOR", "no colours, whatever the terminal"],
    ["XDG_CONFIG_HOME", "folder of realmchat/config.json (profiles) and realmchat/tokens.json (default: ~/.config)"],
  ],
});
