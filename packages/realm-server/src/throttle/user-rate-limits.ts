import type { RealmLimits } from "../limits.ts";
import type { RealmMeter } from "../metrics/realm-meter.ts";
import { TokenBucket, waitFor } from "./token-bucket.ts";

/** The per-user rates of RealmLimits. */
export type UserRates = Pick<
  RealmLimits,
  "userRequestsPerSecond" | "userRequestBurst" | "groupMessagesPerSecond" | "groupMessageBurst" | "groupCharsPerSecond" | "groupCharBurst"
>;

/**
 * Per-user rates, shared by all of a user's connections: a user over a rate is slowed, never
 * refused (each connection serves one request at a time, so the wait holds back only that user).
 */
export class UserRateLimits {
  readonly #rates: UserRates;
  readonly #requests = new Map<string, TokenBucket>();
  readonly #groupMessages = new Map<string, TokenBucket>();
  readonly #groupChars = new Map<string, TokenBucket>();
  readonly #sweeper: NodeJS.Timeout;
  readonly #meter: Pick<RealmMeter, "rateLimited">;

  constructor(rates: UserRates, meter: Pick<RealmMeter, "rateLimited">) {
    this.#rates = rates;
    this.#meter = meter;
    // Buckets that filled up again are dropped, so idle users cost nothing.
    this.#sweeper = setInterval(() => this.#forgetFull(), 30_000);
    this.#sweeper.unref();
  }

  /** Nothing when `username` may go on at once, else the wait (every request passes here: no promise when none is needed). */
  admitRequest(username: string): Promise<void> | undefined {
    const { userRequestsPerSecond, userRequestBurst } = this.#rates;
    const wait = bucketOf(this.#requests, username, userRequestsPerSecond, userRequestBurst).take();
    if (wait <= 0) return undefined;
    this.#meter.rateLimited++;
    return waitFor(wait);
  }

  /** Waits until `username` may send a group message of `chars` characters. */
  admitGroupMessage(username: string, chars: number): Promise<void> {
    const { groupMessagesPerSecond, groupMessageBurst, groupCharsPerSecond, groupCharBurst } = this.#rates;
    const now = Date.now();
    const count = bucketOf(this.#groupMessages, username, groupMessagesPerSecond, groupMessageBurst).take(now);
    const size = bucketOf(this.#groupChars, username, groupCharsPerSecond, groupCharBurst).take(now, chars);
    const wait = Math.max(count, size);
    if (wait > 0) this.#meter.rateLimited++;
    return waitFor(wait);
  }

  #forgetFull(): void {
    const now = Date.now();
    for (const map of [this.#requests, this.#groupMessages, this.#groupChars])
      for (const [user, bucket] of map) if (bucket.isFull(now)) map.delete(user);
  }

  close(): void {
    clearInterval(this.#sweeper);
  }
}

function bucketOf(map: Map<string, TokenBucket>, key: string, perSecond: number, burst: number): TokenBucket {
  let bucket = map.get(key);
  if (bucket === undefined) {
    bucket = new TokenBucket(perSecond, burst);
    map.set(key, bucket);
  }
  return bucket;
}
