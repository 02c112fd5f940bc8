import type { RealmLimits } from "../limits.ts";

export type Overdue = "partial-line" | "unauthenticated";

/** What the deadlines need to know of a connection's input at a sweep. */
export interface InputProgress {
  /** Bytes held of a line not yet ended. */
  readonly bufferedBytes: number;
  /** Lines ended since the connection opened (LineDecoder.framesEnded). */
  readonly framesEnded: number;
}

/**
 * The time limits of one client connection: a line left unfinished too long (slowloris), and a
 * connection that never logs in. Checked by the realm's one sweep, about once a second.
 *
 * A line is "left unfinished" only while no line ends at all: a client that pipelines whole lines
 * has a part of one in the buffer at nearly every sweep, and must never be cut for it. Nor is a
 * client blamed while the server itself does not read from it (back-pressure).
 */
export class ConnectionDeadlines {
  readonly #limits: Pick<RealmLimits, "partialLineTimeoutMs" | "unauthenticatedTimeoutMs">;
  readonly #openedAt: number;
  #authenticated = false;
  #partialSince: number | undefined;
  #framesEnded = 0;

  constructor(limits: Pick<RealmLimits, "partialLineTimeoutMs" | "unauthenticatedTimeoutMs">, now = Date.now()) {
    this.#limits = limits;
    this.#openedAt = now;
  }

  /** A request succeeded with a session (or opened one). */
  authenticated(): void {
    this.#authenticated = true;
  }

  /** `readingPaused`: the server stopped reading this client (its requests wait to be served). */
  check(now: number, input: InputProgress, readingPaused: boolean): Overdue | undefined {
    const progressed = input.framesEnded !== this.#framesEnded;
    this.#framesEnded = input.framesEnded;
    if (input.bufferedBytes === 0 || readingPaused) this.#partialSince = undefined;
    else if (progressed || this.#partialSince === undefined) this.#partialSince = now;
    if (this.#partialSince !== undefined && now - this.#partialSince > this.#limits.partialLineTimeoutMs) return "partial-line";
    if (!this.#authenticated && now - this.#openedAt > this.#limits.unauthenticatedTimeoutMs) return "unauthenticated";
    return undefined;
  }
}

export const OVERDUE_MESSAGES: Readonly<Record<Overdue, string>> = {
  "partial-line": "a line was left unfinished too long",
  unauthenticated: "no login in time",
};
