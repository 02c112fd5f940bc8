export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Structured log sink shared by every process of the system. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** One log line: `<ISO time> <level> [<scope>] <message> key=value …\n`. */
export function formatLogLine(level: string, scope: string, message: string, fields?: LogFields): string {
  let line = `${new Date().toISOString()} ${level} [${scope}] ${message}`;
  if (fields !== undefined) for (const key in fields) if (fields[key] !== undefined) line += ` ${key}=${String(fields[key])}`;
  return line + "\n";
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** A logger that writes one line per entry to standard error, tagged with `scope`. */
export function createStderrLogger(scope: string): Logger {
  return {
    info: (message, fields) => process.stderr.write(formatLogLine("info", scope, message, fields)),
    warn: (message, fields) => process.stderr.write(formatLogLine("warn", scope, message, fields)),
    error: (message, fields) => process.stderr.write(formatLogLine("error", scope, message, fields)),
  };
}
