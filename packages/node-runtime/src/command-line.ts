import { readFileSync } from "node:fs";
import { CommanderError, InvalidArgumentError, type Command } from "commander";
import { LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from "./process-logger.ts";
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

export function parseLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === value);
  if (level === undefined) throw new InvalidArgumentError(`expected one of ${LOG_LEVELS.join(", ")}`);
  return level;
}

export function parseLogFormat(value: string): LogFormat {
  const format = LOG_FORMATS.find((f) => f === value);
  if (format === undefined) throw new InvalidArgumentError(`expected one of ${LOG_FORMATS.join(", ")}`);
  return format;
}

/** `--log-level` and `--log-format`, the same on every long-running command. */
export function addLogOptions(command: Command): Command {
  return command
    .option("--log-level <level>", `log this level and above: ${LOG_LEVELS.join(", ")}`, parseLogLevel, "info")
    .option("--log-format <format>", "json (one JSON object per line) or text (logfmt, for reading in a terminal)", parseLogFormat, "json");
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

/** What every binary says about itself besides its commands. */
export interface CommandLineInfo {
  /** The binary's package.json, whose version `--version` prints. */
  readonly packageJson: URL;
  /** The command registered with `isDefault` (commander does not say which one that is). */
  readonly defaultCommand?: string;
  /** Environment variables the binary reads, as [name, what it does]. */
  readonly environment?: ReadonlyArray<readonly [string, string]>;
}

function versionOf(packageJson: URL): string {
  return (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
}

/** `--version` on every command; commander's usage errors are thrown to runCommandLine instead of exiting 1. */
function prepare(command: Command, version: string): void {
  command.version(version, "-V, --version", "print the version and exit");
  command.exitOverride();
  for (const sub of command.commands) prepare(sub, version);
}

/**
 * Runs a binary's commander program on the process's arguments. `pnpm … start -- --flag` passes
 * the `--` through, so a leading one is dropped to keep flags flags. A failure is printed as one
 * line `<name>: <message>`; the exit code is 2 for bad usage (README, "Command lines"), 1 for
 * anything else. Every command gets `--version`; the top-level help also shows the default
 * command's options and the environment variables the binary reads.
 */
export function runCommandLine(program: Command, info: CommandLineInfo): void {
  prepare(program, versionOf(info.packageJson));
  const fallback = info.defaultCommand === undefined ? undefined : program.commands.find((c) => c.name() === info.defaultCommand);
  if (fallback !== undefined)
    program.addHelpText("after", () => `\nWith no command, runs '${fallback.name()}':\n${fallback.helpInformation()}`);
  if (info.environment !== undefined && info.environment.length > 0) {
    const width = Math.max(...info.environment.map(([name]) => name.length));
    program.addHelpText(
      "after",
      `\nEnvironment:\n${info.environment.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`).join("\n")}\n`,
    );
  }
  const argv = process.argv.slice(2);
  if (argv[0] === "--") argv.shift();
  const first = argv[0];
  // With a default command, commander would take an unknown word for that command's argument.
  if (
    first !== undefined &&
    !first.startsWith("-") &&
    fallback !== undefined &&
    !program.commands.some((c) => c.name() === first || c.aliases().includes(first))
  ) {
    process.stderr.write(`${program.name()}: unknown command '${first}' (see ${program.name()} --help)\n`);
    process.exit(2);
  }
  program.parseAsync(argv, { from: "user" }).catch((err: unknown) => {
    // Thrown by an action (commander prints only the errors it raises itself).
    if (err instanceof InvalidArgumentError) {
      process.stderr.write(`${program.name()}: ${err.message}\n`);
      process.exit(2);
    }
    if (err instanceof CommanderError) {
      // Commander has printed its message (or the help) already; it says 0 only for --help and --version.
      process.exit(err.exitCode === 0 ? 0 : 2);
    }
    process.stderr.write(`${program.name()}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
