import type { RealmLimits } from "../limits.ts";

export type Overdue = "partial-line" | "unauthenticated";

/**
 * The time limits of one client connection: a line left unfinished too long (slowloris), and a
 * connection that never logs in. Checked by the realm's one sweep, about once a second.
 */
export class ConnectionDeadlines {
  readonly #limits: Pick<RealmLimits, "partialLineTimeoutMs" | "unauthenticatedTimeoutMs">;
  readonly #openedAt: number;
  #authenticated = false;
  #partialSince: number | undefined;

  constructor(limits: Pick<RealmLimits, "partialLineTimeoutMs" | "unauthenticatedTimeoutMs">, now = Date.now()) {
    this.#limits = limits;
    this.#openedAt = now;
  }

  /** A request succeeded with a session (or opened one). */
  authenticated(): void {
    this.#authenticated = true;
  }

  /** `bufferedBytes`: what the connection holds of a line not yet ended. */
  check(now: number, bufferedBytes: number): Overdue | undefined {
    if (bufferedBytes === 0) this.#partialSince = undefined;
    else this.#partialSince ??= now;
    if (this.#partialSince !== undefined && now - this.#partialSince > this.#limits.partialLineTimeoutMs) return "partial-line";
    if (!this.#authenticated && now - this.#openedAt > this.#limits.unauthenticatedTimeoutMs) return "unauthenticated";
    return undefined;
  }
}

export const OVERDUE_MESSAGES: Readonly<Record<Overdue, string>> = {
  "partial-line": "a line was left unfinished too long",
  unauthenticated: "no login in time",
};
