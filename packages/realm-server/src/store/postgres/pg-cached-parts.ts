import { createHash } from "node:crypto";
import type { Completion } from "@realmchat/node-runtime";
import { v4 as uuidv4 } from "uuid";
import type { Awaitable, InboxSizes, InboxStore, Session, SessionStore, StoredMessage, UserRecord, UserStore } from "../realm-store.ts";
import type { PgClusterLog } from "./pg-cluster-log.ts";
import * as ops from "./pg-operations.ts";
import { PgPart, type Context } from "./pg-part.ts";
import { InboxCounts, SessionCache, UserCache } from "./pg-read-caches.ts";

const hashToken = (token: string): string => createHash("sha256").update(token).digest("hex");
/** A session's last use is written back at most this often. */
const SESSION_PERSIST_MS = 60_000;

/*
 * The parts of the PostgreSQL store that a send reads on every request (a session, its
 * recipient, the recipient's inbox size), each with its cache in memory (pg-read-caches.ts).
 */

export class PgUsers extends PgPart implements UserStore {
  readonly cache = new UserCache();
  readonly #log: PgClusterLog;
  readonly #forget: (username: string) => void;
  readonly #read = (username: string): Promise<UserRecord | undefined> => this.ctx.q.run(ops.getUser, username);
  /** `forget` drops what this instance holds of a user: the user, its sessions, its inbox size. */
  constructor(ctx: Context, log: PgClusterLog, forget: (username: string) => void) {
    super(ctx);
    this.#log = log;
    this.#forget = forget;
  }
  get(username: string): Awaitable<UserRecord | undefined> {
    return this.cache.get(username, this.#read);
  }
  list(): Promise<readonly UserRecord[]> {
    return this.ctx.q.run(ops.listUsers, undefined);
  }
  async put(user: UserRecord): Promise<void> {
    await this.ctx.q.run(ops.putUser, user);
    await this.#changed(user.username);
  }
  async seed(user: UserRecord): Promise<boolean> {
    const added = await this.ctx.q.run(ops.seedUser, user);
    if (added) await this.#changed(user.username);
    return added;
  }
  async remove(username: string): Promise<boolean> {
    const removed = await this.ctx.q.run(ops.removeUser, username);
    if (removed) await this.#changed(username);
    return removed;
  }
  /** Every instance (this one too, as it reads the log) forgets the user once the change is committed. */
  async #changed(username: string): Promise<void> {
    this.#forget(username);
    await this.#log.publish("", { t: "user", username });
  }
}

export class PgInboxes extends PgPart implements InboxStore {
  readonly counts: InboxCounts;
  readonly #count = (username: string): Promise<number> => this.ctx.q.run(ops.countInbox, username);
  constructor(ctx: Context) {
    super(ctx);
    this.counts = new InboxCounts(ctx.now);
  }
  append(message: StoredMessage, stored: Completion<void>): void {
    this.counts.change(message.to, 1);
    this.ctx.q.run(ops.appendInbox, message).then(
      () => stored.committed(),
      (err: unknown) => {
        this.counts.change(message.to, -1);
        stored.failed(err);
      },
    );
  }
  count(username: string): Awaitable<number> {
    return this.counts.count(username, this.#count);
  }
  peek(username: string, limit: number): Promise<StoredMessage[]> {
    return this.ctx.q.run(ops.peekInbox, { username, limit });
  }
  sizes(): Promise<InboxSizes> {
    return this.ctx.q.run(ops.inboxSizes, undefined);
  }
  async ackUpTo(username: string, upTo: string): Promise<number> {
    const taken = await this.ctx.q.run(ops.ackInbox, { username, upTo });
    this.counts.change(username, -taken);
    return taken;
  }
  async remove(username: string, ids: readonly string[]): Promise<number> {
    const taken = await this.ctx.q.run(ops.removeFromInbox, { username, ids });
    this.counts.change(username, -taken);
    return taken;
  }
}

export class PgSessions extends PgPart implements SessionStore {
  readonly idleMs: number;
  readonly cache = new SessionCache();
  readonly #log: PgClusterLog;
  readonly #timing: { readonly idleMs: number; readonly persistMs: number };
  constructor(ctx: Context, idleMs: number, log: PgClusterLog) {
    super(ctx);
    this.idleMs = idleMs;
    this.#log = log;
    this.#timing = { idleMs, persistMs: SESSION_PERSIST_MS };
  }
  async create(username: string): Promise<Session> {
    const token = uuidv4();
    const hash = hashToken(token);
    const at = this.ctx.now();
    await this.ctx.q.run(ops.insertSession, { hash, username, at });
    const session = { token, username };
    this.cache.add(hash, session, at);
    return session;
  }
  touch(token: string): Awaitable<Session | undefined> {
    const hash = hashToken(token);
    const now = this.ctx.now();
    return this.cache.touch(
      hash,
      now,
      this.#timing,
      () => this.ctx.q.run(ops.touchSession, { hash, token, now, idleMs: this.idleMs, persistMs: SESSION_PERSIST_MS }),
      (at) => this.ctx.q.run(ops.persistSessionUse, { hash, at }).catch(this.ctx.backgroundWriteFailed),
    );
  }
  async revoke(token: string): Promise<boolean> {
    const hash = hashToken(token);
    this.cache.forgetHash(hash);
    const ended = await this.ctx.q.run(ops.deleteSession, hash);
    if (ended) await this.#log.publish("", { t: "logout", hash });
    return ended;
  }
  async revokeUser(username: string): Promise<number> {
    this.cache.forgetUser(username);
    const ended = await this.ctx.q.run(ops.deleteUserSessions, username);
    if (ended > 0) await this.#log.publish("", { t: "user", username });
    return ended;
  }
}
