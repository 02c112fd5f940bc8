import type { LiveOp, LiveResult, RequestId } from "@realmchat/protocol";
import type { Awaitable } from "../../store/realm-store.ts";
import { LaterReply, type LaterReplyListener } from "./ops/live-op.ts";

/** Client ids remembered, in all; beyond this the oldest are forgotten first. */
export const MAX_CLIENT_IDS = 100_000;
/** How long a client id is remembered: far longer than a browser takes to reconnect. */
export const CLIENT_ID_KEEP_MS = 10 * 60_000;

/** The first request with one client id: its outcome, handed to that request and every repeat of it. */
class FirstSend implements LaterReplyListener {
  readonly at: number;
  #outcome:
    { readonly replied: true; readonly result: LiveResult<LiveOp> } | { readonly replied: false; readonly error: unknown } | undefined;
  #followers: Array<LaterReply<LiveOp>> = [];

  constructor(at: number) {
    this.at = at;
  }

  replied(_re: RequestId, result: LiveResult<LiveOp>): void {
    this.#outcome = { replied: true, result };
    this.#tell();
  }

  refused(_re: RequestId, error: unknown): void {
    this.#outcome = { replied: false, error };
    this.#tell();
  }

  /** A reply that comes with the first request's outcome. */
  follower<K extends LiveOp>(): LaterReply<K> {
    const follower = new LaterReply<K>();
    this.#followers.push(follower as LaterReply<LiveOp>);
    this.#tell();
    return follower;
  }

  #tell(): void {
    const outcome = this.#outcome;
    if (outcome === undefined) return;
    for (const f of this.#followers) {
      if (outcome.replied) f.resolve(outcome.result);
      else f.reject(outcome.error);
    }
    this.#followers = [];
  }
}

/**
 * `send` and `say` requests that carry a client id (`cid`), remembered so that a client sending
 * one again (it lost the link before the answer) gets the first one's answer and nothing is sent
 * twice (docs/protocol.md, "Client ids"). Kept in memory, bounded by count and age.
 */
export class ClientSendLedger {
  readonly #firsts = new Map<string, FirstSend>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** `made` runs for the first request of `username` with `cid`; a repeat gets its answer instead. */
  once<K extends LiveOp>(username: string, cid: string, made: () => Awaitable<LaterReply<K>>): Awaitable<LaterReply<K>> {
    const key = `${username}\n${cid}`;
    const known = this.#firsts.get(key);
    if (known !== undefined) return known.follower<K>();
    const now = this.#now();
    this.#forgetOld(now);
    const first = new FirstSend(now);
    this.#firsts.set(key, first);
    let later: Awaitable<LaterReply<K>>;
    try {
      later = made();
    } catch (err) {
      first.refused(0, err);
      throw err;
    }
    if (!(later instanceof Promise)) {
      later.listen(first, 0);
      return first.follower<K>();
    }
    return later.then(
      (l) => {
        l.listen(first, 0);
        return first.follower<K>();
      },
      (err: unknown) => {
        first.refused(0, err);
        throw err;
      },
    );
  }

  #forgetOld(now: number): void {
    for (const [key, first] of this.#firsts) {
      if (this.#firsts.size < MAX_CLIENT_IDS && now - first.at < CLIENT_ID_KEEP_MS) return;
      this.#firsts.delete(key);
    }
  }
}
