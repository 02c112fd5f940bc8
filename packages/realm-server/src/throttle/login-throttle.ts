import { waitFor } from "./token-bucket.ts";

export interface LoginLimits {
  /** Failed logins per user before each further attempt is spaced out. */
  readonly loginFreeFailures: number;
  /** Longest spacing between attempts for one user; an attempt that would wait longer is refused. */
  readonly loginMaxDelayMs: number;
  /** Failed logins from one address before it is refused for a while. */
  readonly loginAddressFailures: number;
  /** Longest an address is refused. */
  readonly loginAddressBlockMs: number;
}

interface Failures {
  count: number;
  /** When the next attempt may be checked (per user) or is accepted again (per address). */
  next: number;
  last: number;
}

/** Failures are forgotten after this long without another. */
const FORGET_AFTER_MS = 15 * 60_000;
const MAX_TRACKED = 100_000;

export type LoginVerdict = { readonly kind: "go" } | { readonly kind: "refused"; readonly retryAfterMs: number };

/**
 * Back-off for password guessing. Per user, attempts after a few failures are spaced out
 * (exponentially, to a small cap) rather than refused, so an attacker cannot lock a user out for
 * long; per address, an address with many failures is refused for a while. Checking a password
 * costs CPU (scrypt), so a refused attempt is answered without checking.
 */
export class LoginThrottle {
  readonly #limits: LoginLimits;
  readonly #users = new Map<string, Failures>();
  readonly #addresses = new Map<string, Failures>();

  constructor(limits: LoginLimits) {
    this.#limits = limits;
  }

  /** Waits for this attempt's turn, or refuses it. */
  async admit(user: string, address: string): Promise<LoginVerdict> {
    const now = Date.now();
    const byAddress = this.#fresh(this.#addresses, address, now);
    if (byAddress !== undefined && byAddress.next > now) return { kind: "refused", retryAfterMs: byAddress.next - now };
    const byUser = this.#fresh(this.#users, user, now);
    if (byUser === undefined || byUser.count < this.#limits.loginFreeFailures) return { kind: "go" };
    const at = Math.max(now, byUser.next);
    if (at - now > this.#limits.loginMaxDelayMs) return { kind: "refused", retryAfterMs: at - now };
    const spacing = Math.min(this.#limits.loginMaxDelayMs, 250 * 2 ** (byUser.count - this.#limits.loginFreeFailures));
    byUser.next = at + spacing;
    await waitFor(at - now);
    return { kind: "go" };
  }

  failed(user: string, address: string): void {
    const now = Date.now();
    this.#count(this.#users, user, now);
    const byAddress = this.#count(this.#addresses, address, now);
    const over = byAddress.count - this.#limits.loginAddressFailures;
    if (over >= 0) byAddress.next = now + Math.min(this.#limits.loginAddressBlockMs, 1000 * 2 ** over);
  }

  succeeded(user: string): void {
    this.#users.delete(user);
  }

  #fresh(map: Map<string, Failures>, key: string, now: number): Failures | undefined {
    const entry = map.get(key);
    if (entry !== undefined && now - entry.last > FORGET_AFTER_MS) {
      map.delete(key);
      return undefined;
    }
    return entry;
  }

  #count(map: Map<string, Failures>, key: string, now: number): Failures {
    let entry = this.#fresh(map, key, now);
    if (entry === undefined) {
      // Oldest first: a map this large is an attack, and its oldest entries matter least.
      if (map.size >= MAX_TRACKED) map.delete(map.keys().next().value as string);
      entry = { count: 0, next: 0, last: now };
      map.set(key, entry);
    }
    entry.count++;
    entry.last = now;
    return entry;
  }
}
