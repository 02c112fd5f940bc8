#!/usr/bin/env node
import { runCommandLine } from "@realmchat/node-runtime";
import { Command } from "commander";
import { registerChat } from "./commands/chat.ts";
import { registerInbox } from "./commands/inbox.ts";
import { registerLogin } from "./commands/login.ts";
import { registerSend } from "./commands/send.ts";

const program = new Command("realmchat").description("client for realm chat servers (classic protocol)");
registerChat(program);
registerSend(program);
registerInbox(program);
registerLogin(program);

runCommandLine(program);
