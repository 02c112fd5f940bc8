export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Structured log sink; the default writes one line per event to stderr. */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

function format(level: string, scope: string, message: string, fields?: LogFields): string {
  let line = `${new Date().toISOString()} ${level} [${scope}] ${message}`;
  if (fields !== undefined) for (const key in fields) if (fields[key] !== undefined) line += ` ${key}=${String(fields[key])}`;
  return line + "\n";
}

export function createStderrLogger(scope: string): Logger {
  return {
    info: (message, fields) => process.stderr.write(format("info", scope, message, fields)),
    warn: (message, fields) => process.stderr.write(format("warn", scope, message, fields)),
    error: (message, fields) => process.stderr.write(format("error", scope, message, fields)),
  };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
