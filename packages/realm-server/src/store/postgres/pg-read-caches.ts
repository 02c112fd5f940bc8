import type { Awaitable, Session, UserRecord } from "../realm-store.ts";

/**
 * Reads of one key on their way, shared: whoever asks while one is on its way gets that read's
 * answer, after those who asked before. Without it, an answer kept from another caller's read
 * could let a later request through at once while an earlier one of the same sender still
 * waits, and its messages would be stored out of order.
 */
class ReadsOnTheirWay<T> {
  readonly #reading = new Map<string, Promise<T>>();

  get(key: string): Promise<T> | undefined {
    return this.#reading.get(key);
  }

  start(key: string, read: Promise<T>): Promise<T> {
    const shared = read.finally(() => {
      if (this.#reading.get(key) === shared) this.#reading.delete(key);
    });
    this.#reading.set(key, shared);
    return shared;
  }

  /** A change: later callers read again (their read comes after the one on its way, in the store's order). */
  drop(key: string): void {
    this.#reading.delete(key);
  }

  clear(): void {
    this.#reading.clear();
  }
}

/**
 * The users an instance has read, kept in memory (docs/design/scale-out.md, "What each instance
 * caches"): a send reads its recipient, and a user changes seldom. A change made through any
 * instance is written to the cluster log as `{t: "user"}`, and every instance forgets that user as
 * it reads the event. A read still on its way when such an event arrives is answered but not
 * kept (the generation moved on), so a value from before a change is never cached after it.
 */
export class UserCache {
  /** Only users that exist: names that do not are read each time, so made-up names cannot grow it. */
  readonly #known = new Map<string, UserRecord>();
  readonly #reading = new ReadsOnTheirWay<UserRecord | undefined>();
  #generation = 0;

  /** The cached user, or the read's answer, kept if it is a user and nothing changed meanwhile. */
  get(username: string, read: (username: string) => Promise<UserRecord | undefined>): Awaitable<UserRecord | undefined> {
    const known = this.#known.get(username);
    if (known !== undefined) return known;
    const onItsWay = this.#reading.get(username);
    if (onItsWay !== undefined) return onItsWay;
    const generation = this.#generation;
    return this.#reading.start(
      username,
      read(username).then((user) => {
        if (user !== undefined && generation === this.#generation) this.#known.set(username, user);
        return user;
      }),
    );
  }

  forget(username: string): void {
    this.#generation++;
    this.#known.delete(username);
    this.#reading.drop(username);
  }
}

/** How long a counted inbox size is trusted before it is counted again. */
export const INBOX_COUNT_FRESH_MS = 1000;

interface Counted {
  n: number;
  readonly at: number;
}

/** Counted sizes kept at most: past it, those too old to be trusted are let go. */
const MAX_COUNTED = 10_000;

/**
 * Inbox sizes for the room check of a send, without a query per message: counted once, then kept
 * up to date with this instance's own appends and removals, and counted again after
 * {@link INBOX_COUNT_FRESH_MS} (another instance may have added or taken messages meanwhile).
 * An inbox may thus hold the limit plus what other instances stored in it within a second, and a
 * send may be refused for a full inbox that another instance emptied within the last second.
 */
export class InboxCounts {
  readonly #counted = new Map<string, Counted>();
  readonly #reading = new ReadsOnTheirWay<number>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  count(username: string, read: (username: string) => Promise<number>): Awaitable<number> {
    const onItsWay = this.#reading.get(username);
    if (onItsWay !== undefined) return onItsWay;
    const counted = this.#counted.get(username);
    const now = this.#now();
    if (counted !== undefined && now - counted.at < INBOX_COUNT_FRESH_MS) return counted.n;
    return this.#reading.start(
      username,
      read(username).then((n) => {
        if (this.#counted.size >= MAX_COUNTED) this.#letGoBefore(this.#now() - INBOX_COUNT_FRESH_MS);
        this.#counted.set(username, { n, at: now });
        return n;
      }),
    );
  }

  #letGoBefore(at: number): void {
    for (const [username, counted] of this.#counted) if (counted.at < at) this.#counted.delete(username);
  }

  /** This instance stored (`+1`) or took (`-n`) messages of `username`. */
  change(username: string, by: number): void {
    const counted = this.#counted.get(username);
    if (counted !== undefined) counted.n = Math.max(0, counted.n + by);
  }

  forget(username: string): void {
    this.#counted.delete(username);
    this.#reading.drop(username);
  }
}

interface CachedSession {
  readonly session: Session;
  lastSeen: number;
  persistedAt: number;
}

/**
 * Sessions an instance has served, by token hash: a request's session check is in memory, and
 * its last use is written back at most every `persistMs` (as on SQLite). A logout or ended
 * sessions anywhere is written to the cluster log (`{t: "logout"}`, `{t: "user"}`), and each
 * instance drops what it holds as it reads it; a read on its way meanwhile is not kept.
 */
export class SessionCache {
  readonly #byHash = new Map<string, CachedSession>();
  readonly #reading = new ReadsOnTheirWay<Session | undefined>();
  #generation = 0;

  touch(
    hash: string,
    now: number,
    timing: { readonly idleMs: number; readonly persistMs: number },
    read: () => Promise<Session | undefined>,
    persist: (at: number) => void,
  ): Awaitable<Session | undefined> {
    const cached = this.#byHash.get(hash);
    if (cached !== undefined && now - cached.lastSeen <= timing.idleMs) {
      cached.lastSeen = now;
      if (now - cached.persistedAt > timing.persistMs) {
        cached.persistedAt = now;
        persist(now);
      }
      return cached.session;
    }
    const onItsWay = this.#reading.get(hash);
    if (onItsWay !== undefined) return onItsWay;
    // Not here, or idle too long: the store decides (and deletes an idle one).
    this.#byHash.delete(hash);
    const generation = this.#generation;
    return this.#reading.start(
      hash,
      read().then((session) => {
        if (session !== undefined && generation === this.#generation) this.#byHash.set(hash, { session, lastSeen: now, persistedAt: now });
        return session;
      }),
    );
  }

  /** A session just made here. */
  add(hash: string, session: Session, at: number): void {
    this.#byHash.set(hash, { session, lastSeen: at, persistedAt: at });
  }

  forgetHash(hash: string): void {
    this.#generation++;
    this.#byHash.delete(hash);
    this.#reading.drop(hash);
  }

  forgetUser(username: string): void {
    this.#generation++;
    // Which reads on their way are this user's is not known: later callers all read again.
    this.#reading.clear();
    for (const [hash, cached] of this.#byHash) if (cached.session.username === username) this.#byHash.delete(hash);
  }

  /** Lets go of sessions idle for longer than `idleMs` (the store's minute sweep). */
  sweep(now: number, idleMs: number): void {
    for (const [hash, cached] of this.#byHash) if (now - cached.lastSeen > idleMs) this.#byHash.delete(hash);
  }
}
