import type { Completion } from "@realmchat/node-runtime";
import { v4 as uuidv4 } from "uuid";
import { MemoryGroupStore } from "./memory-groups.ts";
import type {
  AwaitedDelivery,
  OutboxEntry,
  OutboxStore,
  RelayedMessage,
  RelayLedger,
  RelayOutcome,
  GroupStore,
  InboxStore,
  RealmStore,
  Session,
  SessionStore,
  StoredMessage,
  UserRecord,
  UserStore,
} from "./realm-store.ts";

class MemoryUserStore implements UserStore {
  readonly #users = new Map<string, UserRecord>();
  get(username: string): UserRecord | undefined {
    return this.#users.get(username);
  }
  async list(): Promise<readonly UserRecord[]> {
    return [...this.#users.values()];
  }
  async put(user: UserRecord): Promise<void> {
    this.#users.set(user.username, user);
  }
  async remove(username: string): Promise<boolean> {
    return this.#users.delete(username);
  }
}

class MemoryInboxStore implements InboxStore {
  readonly #inboxes = new Map<string, StoredMessage[]>();
  append(message: StoredMessage, stored: Completion<void>): void {
    this.add(message);
    // Told after the caller has gone on, as a store that commits would.
    queueMicrotask(() => stored.committed());
  }
  add(message: StoredMessage): void {
    const inbox = this.#inboxes.get(message.to);
    if (inbox === undefined) this.#inboxes.set(message.to, [message]);
    else inbox.push(message);
  }
  count(username: string): number {
    return this.#inboxes.get(username)?.length ?? 0;
  }
  async peek(username: string, limit: number): Promise<StoredMessage[]> {
    return (this.#inboxes.get(username) ?? []).slice(0, limit);
  }
  async ackUpTo(username: string, upTo: string): Promise<number> {
    const inbox = this.#inboxes.get(username) ?? [];
    const index = inbox.findIndex((m) => m.id === upTo);
    if (index === -1) return 0;
    inbox.splice(0, index + 1);
    return index + 1;
  }
}

interface LiveSession extends Session {
  lastSeen: number;
}

class MemorySessionStore implements SessionStore {
  readonly #sessions = new Map<string, LiveSession>();
  readonly #idleMs: number;
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout;

  constructor(idleMs: number, now: () => number) {
    this.#idleMs = idleMs;
    this.#now = now;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(idleMs, 60_000));
    this.#sweeper.unref();
  }
  async create(username: string): Promise<Session> {
    const session: LiveSession = { token: uuidv4(), username, lastSeen: this.#now() };
    this.#sessions.set(session.token, session);
    return { token: session.token, username };
  }
  touch(token: string): Session | undefined {
    const session = this.#sessions.get(token);
    if (session === undefined) return undefined;
    const now = this.#now();
    if (now - session.lastSeen > this.#idleMs) {
      this.#sessions.delete(token);
      return undefined;
    }
    session.lastSeen = now;
    return session;
  }
  async revoke(token: string): Promise<boolean> {
    return this.#sessions.delete(token);
  }
  async revokeUser(username: string): Promise<number> {
    let n = 0;
    for (const [token, session] of this.#sessions) if (session.username === username && this.#sessions.delete(token)) n++;
    return n;
  }
  #sweep(): void {
    const cutoff = this.#now() - this.#idleMs;
    for (const [token, session] of this.#sessions) if (session.lastSeen < cutoff) this.#sessions.delete(token);
  }
  close(): void {
    clearInterval(this.#sweeper);
  }
}

class MemoryRelayLedger implements RelayLedger {
  readonly #outcomes = new Map<string, RelayOutcome>();
  readonly #users: UserStore;
  readonly #inboxes: MemoryInboxStore;
  constructor(users: UserStore, inboxes: MemoryInboxStore) {
    this.#users = users;
    this.#inboxes = inboxes;
  }
  async accept(origin: string, message: RelayedMessage): Promise<{ outcome: RelayOutcome; fresh: boolean }> {
    const key = `${origin}:${message.id}`;
    const known = this.#outcomes.get(key);
    if (known !== undefined) return { outcome: known, fresh: false };
    const recipient = await this.#users.get(message.user);
    if (recipient === undefined) {
      const rejected: RelayOutcome = { status: "rejected", code: "USER_NOT_FOUND", message: `user '${message.user}' not found` };
      this.#outcomes.set(key, rejected);
      return { outcome: rejected, fresh: true };
    }
    this.#outcomes.set(key, { status: "stored" });
    this.#inboxes.add({ ...message, to: recipient.username, toName: recipient.displayName });
    return { outcome: { status: "stored" }, fresh: true };
  }
}

/** Awaited deliveries kept at most; the oldest go first (a memory store is for tests and demos). */
const MAX_AWAITED = 100_000;

class MemoryOutboxStore implements OutboxStore {
  readonly #entries = new Map<string, OutboxEntry>();
  readonly #awaited = new Map<string, AwaitedDelivery>();
  async awaitDelivery(delivery: AwaitedDelivery): Promise<void> {
    if (this.#awaited.size >= MAX_AWAITED) this.#awaited.delete(this.#awaited.keys().next().value as string);
    this.#awaited.set(delivery.id, delivery);
  }
  async takeDelivery(id: string): Promise<AwaitedDelivery | undefined> {
    const delivery = this.#awaited.get(id);
    this.#awaited.delete(id);
    return delivery;
  }
  async add(entry: OutboxEntry): Promise<void> {
    this.#entries.set(entry.id, entry);
  }
  async remove(id: string): Promise<void> {
    this.#entries.delete(id);
  }
  async list(limit?: number): Promise<readonly OutboxEntry[]> {
    return [...this.#entries.values()].slice(0, limit);
  }
}

export interface MemoryStoreOptions {
  readonly sessionIdleMs?: number;
  readonly now?: () => number;
}

export const DEFAULT_SESSION_IDLE_MS = 60 * 60 * 1000;

/** Everything in process memory: for tests and throwaway realms, not for real users. */
export class MemoryRealmStore implements RealmStore {
  readonly users: UserStore = new MemoryUserStore();
  readonly inboxes = new MemoryInboxStore();
  readonly sessions: MemorySessionStore;
  readonly groups: GroupStore;
  readonly relayed: RelayLedger;
  readonly outbox: OutboxStore = new MemoryOutboxStore();

  constructor(options: MemoryStoreOptions = {}) {
    const now = options.now ?? Date.now;
    this.sessions = new MemorySessionStore(options.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS, now);
    this.groups = new MemoryGroupStore(now);
    this.relayed = new MemoryRelayLedger(this.users, this.inboxes);
  }
  async close(): Promise<void> {
    this.sessions.close();
  }
}
