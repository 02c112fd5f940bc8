#!/usr/bin/env node
import { runCommandLine } from "@realmchat/node-runtime";
import { Command, InvalidArgumentError } from "commander";
import { runHandOffRecipient } from "../chaos/hand-off-recipient.ts";

interface Flags {
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly log: string;
}

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) throw new InvalidArgumentError("expected a port");
  return n;
};

const program = new Command("hand-off-recipient")
  .description("a live client that logs every private message it receives before acknowledging it (for the hand-off crash run)")
  .requiredOption("--port <n>", "the realm's client port on 127.0.0.1", port)
  .requiredOption("--user <name>", "who to log in as")
  .requiredOption("--password <password>", "their password")
  .requiredOption("--log <file>", "where received messages are written")
  .action(async (flags: Flags) => {
    await runHandOffRecipient({ host: "127.0.0.1", ...flags });
  });

runCommandLine(program, { packageJson: new URL("../../package.json", import.meta.url) });
