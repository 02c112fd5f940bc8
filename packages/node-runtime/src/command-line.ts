import { InvalidArgumentError, type Command } from "commander";
import { generateSecret } from "./secrets.ts";

/** commander argument parsers shared by the server binaries: each returns a checked value or refuses it. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError("expected a port number 0..65535");
  return port;
}

export function parseSeconds(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError("expected a positive number of seconds");
  return seconds;
}

export function parseMs(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) throw new InvalidArgumentError("expected a positive number of milliseconds");
  return ms;
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("expected a positive whole number");
  return n;
}

/** The `secret` subcommand both server binaries have: prints a new random link secret. */
export function registerSecretCommand(program: Command, usedFor: string): void {
  program
    .command("secret")
    .description(`print a new random secret for ${usedFor}`)
    .action(() => {
      process.stdout.write(generateSecret() + "\n");
    });
}

/**
 * Runs a binary's commander program on the process's arguments. `pnpm … start -- --flag` passes
 * the `--` through, so a leading one is dropped to keep flags flags. A failure is printed as one
 * line `<name>: <message>`; the exit code is 2 for bad usage, 1 for anything else.
 */
export function runCommandLine(program: Command): void {
  const argv = process.argv.slice(2);
  if (argv[0] === "--") argv.shift();
  program.parseAsync(argv, { from: "user" }).catch((err: unknown) => {
    process.stderr.write(`${program.name()}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof InvalidArgumentError ? 2 : 1);
  });
}
