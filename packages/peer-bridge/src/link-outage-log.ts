import type { Logger } from "@realmchat/node-runtime";

/** How often a link that stays down is reported again, by default. */
export const DEFAULT_OUTAGE_REPORT_MS = 60_000;

/**
 * What an operator reads of one outgoing link's outages: the first failed dial at once, with its
 * error; then, while the link stays down, at most one line per `reportEveryMs` (how many dials
 * failed, for how long, the last error). A link that ends before its handshake is done counts as
 * a failed dial. Each dial and each wait used to be a line of its own: two lines every few
 * seconds for as long as a peer was down.
 */
export class LinkOutageLog {
  readonly #logger: Logger;
  readonly #link: string;
  readonly #reportEveryMs: number;
  readonly #now: () => number;
  #downSince: number | undefined;
  #failedDials = 0;
  #lastError: string | undefined;
  #reportedAt = 0;

  constructor(logger: Logger, link: string, reportEveryMs = DEFAULT_OUTAGE_REPORT_MS, now: () => number = Date.now) {
    this.#logger = logger;
    this.#link = link;
    this.#reportEveryMs = reportEveryMs;
    this.#now = now;
  }

  /** Dials failed since the link was last up, and the last one's error (for `peer-bridge status`). */
  get failures(): { readonly failedDials: number; readonly lastError: string | undefined } {
    return { failedDials: this.#failedDials, lastError: this.#lastError };
  }

  dialFailed(error: string): void {
    const now = this.#now();
    this.#failedDials++;
    this.#lastError = error;
    if (this.#downSince === undefined) {
      this.#downSince = now;
      this.#reportedAt = now;
      this.#logger.warn("dial failed; redialing with backoff, reported again while it stays down", {
        link: this.#link,
        error,
        report_every_s: this.#reportEveryMs / 1000,
      });
    } else if (now - this.#reportedAt >= this.#reportEveryMs) {
      this.#reportedAt = now;
      this.#logger.warn("still unreachable", { link: this.#link, failed_dials: this.#failedDials, down_s: this.#downFor(now), error });
    }
  }

  /**
   * A link that got through its handshake has ended (its own `link up` line ended any outage in
   * the log); the next dial comes after `waitMs`.
   */
  linkEnded(waitMs: number): void {
    this.#downSince = undefined;
    this.#failedDials = 0;
    this.#lastError = undefined;
    this.#logger.warn("link ended; redialing", { link: this.#link, in_ms: waitMs });
  }

  #downFor(now: number): number {
    return Math.round((now - (this.#downSince ?? now)) / 1000);
  }
}
