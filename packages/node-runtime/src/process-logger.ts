import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { escapeLineBreakers, formatLogLine, type LogFields, type Logger } from "./logger.ts";

export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ["json", "text"] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const LEVEL_RANK = { debug: 20, info: 30, warn: 40, error: 50, silent: Infinity } as const satisfies Record<LogLevel, number>;

/**
 * What waits in memory for a slow standard error before lines are dropped (and counted): the
 * process never blocks on its log, and a stuck reader costs at most this much.
 */
export const MAX_UNWRITTEN_LOG_BYTES = 16 * 1024 * 1024;

export interface ProcessLoggerOptions {
  /** `realm` or `bridge`: every line carries it, with `name`, so one stream can hold several processes. */
  readonly role: string;
  readonly name: string;
  readonly level: LogLevel;
  readonly format: LogFormat;
  /** A file descriptor; standard error by default. */
  readonly destination?: number;
  /** {@link MAX_UNWRITTEN_LOG_BYTES} unless a test wants to see the bound reached. */
  readonly maxUnwrittenBytes?: number;
}

/** A process's logger: lines as the options say, written asynchronously (at exit, what is left is written synchronously). */
export interface ProcessLogger extends Logger {
  readonly level: LogLevel;
  /** Lines dropped because the destination was slower than the bound above. */
  readonly dropped: number;
  /** Resolves once every line logged so far is written. */
  flush(): Promise<void>;
}

/**
 * The server processes' logger: JSON lines through pino (`{"level","time","role","name","msg",…fields}`)
 * or the logfmt lines of {@link formatLogLine}, both through one non-blocking destination (sonic-boom
 * writes from libuv's pool, so a full pipe never stalls the event loop). pino escapes what JSON must;
 * the destination also escapes DEL, C1 controls and U+2028/9, which a terminal or a line reader may
 * take for a line break or a command, so a value a client chose shows as text and stays in its line.
 */
export function createProcessLogger(options: ProcessLoggerOptions): ProcessLogger {
  const destination = pino.destination({
    dest: options.destination ?? 2,
    sync: false,
    maxLength: options.maxUnwrittenBytes ?? MAX_UNWRITTEN_LOG_BYTES,
  });
  let dropped = 0;
  let unreported = 0;
  destination.on("drop", () => {
    dropped++;
    unreported++;
  });
  // sonic-boom's own flush(cb) answers at once when it buffers nothing by length (minLength 0), even with a write in
  // flight; its "drain" comes when the last write is done and nothing waits, which is what flush() must wait for.
  let writing = false;
  destination.on("drain", () => (writing = false));
  const escaped: DestinationStream = {
    write: (line: string) => {
      writing = true;
      destination.write(escapeLineBreakers(line));
    },
  };
  const write = options.format === "json" ? jsonWriter(options, escaped) : textWriter(options, escaped);
  const rank = LEVEL_RANK[options.level];
  const log = (level: Exclude<LogLevel, "silent">, message: string, fields?: LogFields): void => {
    if (LEVEL_RANK[level] < rank) return;
    if (unreported > 0) {
      const count = unreported;
      const before = dropped;
      unreported = 0;
      write("warn", "log lines dropped: standard error was not read fast enough", { dropped: count });
      // Still no room: the report is not itself a lost line; it goes with the next one that fits.
      if (dropped > before) {
        dropped = before;
        unreported = count;
      }
    }
    write(level, message, fields);
  };
  return {
    level: options.level,
    get dropped() {
      return dropped;
    },
    debug: (message, fields) => log("debug", message, fields),
    info: (message, fields) => log("info", message, fields),
    warn: (message, fields) => log("warn", message, fields),
    error: (message, fields) => log("error", message, fields),
    flush: () =>
      writing
        ? new Promise<void>((resolve, reject) => {
            destination.once("drain", () => resolve());
            destination.once("error", reject);
          })
        : Promise.resolve(),
  };
}

type LineWriter = (level: Exclude<LogLevel, "silent">, message: string, fields?: LogFields) => void;

function jsonWriter(options: ProcessLoggerOptions, destination: DestinationStream): LineWriter {
  const logger: PinoLogger = pino(
    {
      // Filtering is done above, once for both formats.
      level: "trace",
      base: { role: options.role, name: options.name, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return (level, message, fields) => logger[level](fields ?? {}, message);
}

function textWriter(options: ProcessLoggerOptions, destination: DestinationStream): LineWriter {
  const scope = `${options.role} ${options.name}`;
  return (level, message, fields) => destination.write(formatLogLine(level, scope, message, fields));
}
