/**
 * A token bucket that queues instead of refusing: `take` always grants the token, and answers how
 * long the caller must wait for it (0 while the bucket still holds tokens). A client over its rate
 * is thereby slowed to the rate, as IRC servers apply flood penalties.
 */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  #tokens: number;
  #at: number;

  constructor(perSecond: number, burst: number, now = Date.now()) {
    this.#ratePerMs = perSecond / 1000;
    this.#burst = burst;
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes `cost` tokens (one by default); returns the milliseconds until they are really there. */
  take(now = Date.now(), cost = 1): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#ratePerMs);
    this.#at = now;
    this.#tokens -= cost;
    return this.#tokens >= 0 ? 0 : Math.ceil(-this.#tokens / this.#ratePerMs);
  }

  /** Full again, and so forgettable. */
  isFull(now = Date.now()): boolean {
    return this.#tokens + (now - this.#at) * this.#ratePerMs >= this.#burst;
  }
}

/** Waits `ms` (no timer at all when there is nothing to wait for). */
export function waitFor(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
