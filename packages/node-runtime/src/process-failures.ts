import { describeError } from "./describe-error.ts";
import type { Logger } from "./logger.ts";

/**
 * A failure nothing handled is a defect: it is logged once, with what it was, and the process
 * exits 1 (a supervisor restarts it; durable state is what survives). Installed by each
 * long-running process at start; every expected failure is handled where it can be answered.
 */
export function logUnhandledFailures(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): void {
  process.on("unhandledRejection", (reason) => {
    logger.error("unhandled rejection; exiting", { error: describeError(reason) });
    exit(1);
  });
  process.on("uncaughtException", (err, origin) => {
    logger.error("uncaught exception; exiting", { origin, error: describeError(err) });
    exit(1);
  });
}
