import { createHash } from "node:crypto";
import { v4 as uuidv4 } from "uuid";
import type { Session, SessionStore } from "../realm-store.ts";
import { deleteSession, insertSession, touchSession } from "./realm-operations.ts";
import type { StoreContext } from "./store-context.ts";

/** A session's last use is written back at most this often (the idle clock is this coarse). */
const SESSION_PERSIST_MS = 60_000;

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");

interface CachedSession {
  readonly username: string;
  /** The session once its token has been used here, so that its hash is not computed for every request. */
  session?: Session;
  lastSeen: number;
  persistedAt: number;
}

/** Tokens are stored as SHA-256 hashes only; sessions survive a restart. */
export class SqliteSessions implements SessionStore {
  readonly #ctx: StoreContext;
  readonly #idleMs: number;
  readonly #cache = new Map<string, CachedSession>();
  /** Token → hash of the sessions in `#cache` that have been used. */
  readonly #hashes = new Map<string, string>();
  constructor(ctx: StoreContext, idleMs: number) {
    this.#ctx = ctx;
    this.#idleMs = idleMs;
    for (const r of ctx.db.prepare("SELECT token_hash, username, last_seen FROM sessions").all()) {
      this.#cache.set(String(r.token_hash), {
        username: String(r.username),
        lastSeen: Number(r.last_seen),
        persistedAt: Number(r.last_seen),
      });
    }
  }
  async create(username: string): Promise<Session> {
    const token = uuidv4();
    const hash = hashToken(token);
    const at = this.#ctx.now();
    await this.#ctx.commits.run(insertSession, { hash, username, at });
    const session = { token, username };
    this.#cache.set(hash, { username, lastSeen: at, persistedAt: at, session });
    this.#hashes.set(token, hash);
    return session;
  }
  touch(token: string): Session | undefined {
    const hash = this.#hashes.get(token) ?? hashToken(token);
    const session = this.#cache.get(hash);
    if (session === undefined) return undefined;
    if (session.session === undefined) {
      session.session = { token, username: session.username };
      this.#hashes.set(token, hash);
    }
    const now = this.#ctx.now();
    if (now - session.lastSeen > this.#idleMs) {
      this.#forget(hash);
      return undefined;
    }
    session.lastSeen = now;
    if (now - session.persistedAt > SESSION_PERSIST_MS) {
      session.persistedAt = now;
      this.#ctx.commits.run(touchSession, { hash, at: now }).catch(this.#ctx.backgroundWriteFailed);
    }
    return session.session;
  }
  async revoke(token: string): Promise<boolean> {
    const hash = this.#hashes.get(token) ?? hashToken(token);
    if (!this.#drop(hash)) return false;
    await this.#ctx.commits.run(deleteSession, hash);
    return true;
  }
  /** The user was deleted, with its sessions: none of them is served from the cache any more. */
  forgetUser(username: string): void {
    for (const [hash, session] of this.#cache) if (session.username === username) this.#drop(hash);
  }
  async revokeUser(username: string): Promise<number> {
    const hashes = [...this.#cache].filter(([, s]) => s.username === username).map(([hash]) => hash);
    for (const hash of hashes) this.#drop(hash);
    await Promise.all(hashes.map((hash) => this.#ctx.commits.run(deleteSession, hash)));
    return hashes.length;
  }
  #drop(hash: string): boolean {
    const session = this.#cache.get(hash);
    if (session === undefined) return false;
    this.#cache.delete(hash);
    if (session.session !== undefined) this.#hashes.delete(session.session.token);
    return true;
  }
  #forget(hash: string): void {
    this.#drop(hash);
    this.#ctx.commits.run(deleteSession, hash).catch(this.#ctx.backgroundWriteFailed);
  }
  sweep(): void {
    const now = this.#ctx.now();
    for (const [hash, session] of this.#cache) if (now - session.lastSeen > this.#idleMs) this.#forget(hash);
  }
}
