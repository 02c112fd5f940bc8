import type { Completion } from "@realmchat/node-runtime";
import type { RosterEvent } from "@realmchat/protocol";
import type { ClusterLog } from "./cluster-log.ts";

/**
 * Storage behind a realm. Every call may be async and names its data by value, so an embedded
 * database (which commits per event-loop turn) or a networked store shared by several
 * realm-server instances can implement it; nothing here may assume one process.
 */

/**
 * A lookup that a store which holds its answer in memory gives at once, and a networked one
 * later: the hot path (every request's session and user, every message's inbox size) then costs
 * no promise, no microtask, when the answer is at hand.
 */
export type Awaitable<T> = T | Promise<T>;

export interface UserRecord {
  readonly username: string;
  readonly displayName: string;
  /** `scrypt$N$r$p$salt$hash` (see password-hash.ts); never a plaintext password. */
  readonly passwordHash: string;
}

/** How long an unused session token stays valid unless the realm is told otherwise. */
export const DEFAULT_SESSION_IDLE_MS = 60 * 60 * 1000;

export interface UserStore {
  get(username: string): Awaitable<UserRecord | undefined>;
  list(): Promise<readonly UserRecord[]>;
  /** Adds or replaces a user. */
  put(user: UserRecord): Promise<void>;
  /**
   * Adds a user of the config file unless that name was seeded before: the store, not the
   * config, is the source of truth once a user is in it, so one deleted or given a new password
   * with `realm-server user` stays so across restarts and reloads. True if the user was added.
   */
  seed(user: UserRecord): Promise<boolean>;
  /** Deletes a user and its inbox; false if there was no such user. */
  remove(username: string): Promise<boolean>;
}

/** A private message as stored in its recipient's inbox. */
export interface StoredMessage {
  readonly id: string;
  /** Sender as an inbox key: bare username when local, `user@realm` when remote. */
  readonly from: string;
  readonly fromName: string;
  readonly to: string;
  readonly toName: string;
  readonly text: string;
  readonly sentAt: number;
}

/** Where a message handed off and not acknowledged in time is written: the inbox, or for one from another realm, the relay ledger. */
export type MessageStorage = Pick<InboxStore, "append">;

export interface InboxStore {
  /** Stores the message; `stored` is told once it is as durable as the store can make it. */
  append(message: StoredMessage, stored: Completion<void>): void;
  /** How many messages wait in `username`'s inbox (counting those being stored). */
  count(username: string): Awaitable<number>;
  /** Returns up to `limit` messages for `username`, oldest first, removing nothing. */
  peek(username: string, limit: number): Promise<StoredMessage[]>;
  /** Removes `username`'s messages up to and including the one with id `upTo`; returns how many. */
  ackUpTo(username: string, upTo: string): Promise<number>;
  /** Removes `username`'s messages with these ids, wherever they are in the inbox; returns how many. */
  remove(username: string, ids: readonly string[]): Promise<number>;
  /** Every inbox together (for metrics): how many messages wait, in how many inboxes, and the fullest's count. */
  sizes(): Promise<InboxSizes>;
}

export interface InboxSizes {
  readonly messages: number;
  readonly inboxes: number;
  readonly largest: number;
}

/** The query behind `InboxStore.sizes`, the same in SQLite and PostgreSQL. */
export const INBOX_SIZES_SQL =
  "SELECT coalesce(sum(n), 0) AS messages, count(*) AS inboxes, coalesce(max(n), 0) AS largest " +
  "FROM (SELECT count(*) AS n FROM inbox GROUP BY recipient) AS per_inbox";

export function inboxSizesOf(row: Readonly<Record<string, unknown>> | undefined): InboxSizes {
  return { messages: Number(row?.messages ?? 0), inboxes: Number(row?.inboxes ?? 0), largest: Number(row?.largest ?? 0) };
}

/** `inboxes.append` as a promise, for callers off the hot path. */
export function appendToInbox(inboxes: Pick<InboxStore, "append">, message: StoredMessage): Promise<void> {
  return new Promise((committed, failed) => inboxes.append(message, { committed, failed }));
}

export interface Session {
  readonly token: string;
  readonly username: string;
}

export interface SessionStore {
  create(username: string): Promise<Session>;
  /** The session behind `token` if it exists and has not idled out; using it resets the idle clock. */
  touch(token: string): Awaitable<Session | undefined>;
  revoke(token: string): Promise<boolean>;
  /** Ends every session of `username`; returns how many there were. */
  revokeUser(username: string): Promise<number>;
}

export interface GroupRecord {
  readonly name: string;
  readonly createdBy: string;
  readonly createdAt: number;
  /** Set once the group lost to an earlier one of its name on that realm, and merged into it. */
  readonly mergedInto?: string;
  /** Merged, but the winner has not yet confirmed it holds the members and history kept here. */
  readonly mergePending?: boolean;
}

/** A past event of a group homed here (the same shape the federation's `groster` carries). */
export type GroupHistoryRecord = RosterEvent;

export interface HistoryPage {
  readonly events: readonly GroupHistoryRecord[];
  readonly more: boolean;
}

/** Where a user has read a conversation up to (docs/protocol.md, "Read markers"). */
export interface ReadMarker {
  readonly conversation: string;
  readonly ts: number;
}

/** Conversations with a marker kept per user; setting one more forgets the least recently read. */
export const MAX_READ_MARKERS = 1000;

export interface ReadMarkerStore {
  /** Moves the marker forward to `ts` (never back); returns the marker now. */
  set(username: string, conversation: string, ts: number): Promise<ReadMarker>;
  list(username: string): Promise<readonly ReadMarker[]>;
}

export interface GroupStore {
  /** A group homed here, or the record of one that merged into another realm's. */
  get(name: string): Promise<GroupRecord | undefined>;
  /** The groups homed here (not those merged away). */
  list(): Promise<readonly GroupRecord[]>;
  /** Returns the existing group (or its merge record) or creates it; `created` says which. */
  ensure(name: string, createdBy: string): Promise<{ readonly group: GroupRecord; readonly created: boolean }>;
  /**
   * Memberships: someone joined a group and has not left it with `exit` or `leave` (being online
   * is another matter). A member is a label: `user` for this realm's users, `user@realm` otherwise.
   */
  addMember(group: string, member: string): Promise<void>;
  removeMember(group: string, member: string): Promise<void>;
  /** Labels of the members, in the order they joined. */
  members(group: string): Promise<readonly string[]>;
  /** Records an event, keeping the newest `keep` of the group's events. */
  appendHistory(group: string, event: GroupHistoryRecord, keep: number): Promise<void>;
  /** The newest `limit` events of a group, oldest first; sees every write made before it. */
  history(group: string, limit: number): Promise<GroupHistoryRecord[]>;
  /**
   * Up to `limit` events older than the event with id `before`, oldest first; `more`: older ones
   * remain. Nothing if that event is not kept (any more).
   */
  historyBefore(group: string, before: string, limit: number): Promise<HistoryPage>;
  /**
   * Takes in a merged group of the same name: its members join the membership, its events are
   * merged by time (an event already here is not added twice), the newest `keep` are kept.
   */
  absorb(group: string, members: readonly string[], history: readonly GroupHistoryRecord[], keep: number): Promise<void>;
  /** The group merged into `home`'s group of its name; its members and history stay until confirmed. */
  markMerged(group: string, home: string): Promise<void>;
  /** The winner holds what was merged: drops the members and history kept for it. */
  mergeConfirmed(group: string): Promise<void>;
  /** Merged groups whose winner has not confirmed yet. */
  pendingMerges(): Promise<readonly GroupRecord[]>;
}

/** A private message relayed from another realm, for a user of this one. */
export interface RelayedMessage {
  readonly id: string;
  /** The inbox key of the sender: `user@realm`. */
  readonly from: string;
  readonly fromName: string;
  readonly user: string;
  readonly text: string;
  readonly sentAt: number;
}

export type RelayOutcome = { readonly status: "stored" } | { readonly status: "rejected"; readonly code: string; readonly message: string };

/**
 * Exactly-once intake of relayed messages: the first delivery of (origin, id) is stored (or
 * refused) and its outcome recorded with it, atomically; every later delivery gets that outcome
 * back and stores nothing.
 */
export interface RelayLedger {
  /** `fresh` is true only for the delivery that stored (or refused) it. */
  accept(origin: string, message: RelayedMessage): Promise<{ readonly outcome: RelayOutcome; readonly fresh: boolean }>;
}

/** A private message of this realm for another realm, kept until the bridge has taken it. */
export interface OutboxEntry {
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly fromName: string;
  readonly user: string;
  readonly text: string;
  readonly sentAt: number;
}

/** A message a bridge holds for a realm that could not take it yet: whom to tell once it arrives. */
export interface AwaitedDelivery {
  readonly id: string;
  /** The sender, a user of this realm. */
  readonly from: string;
  /** The recipient, `user@realm`. */
  readonly to: string;
}

export interface OutboxStore {
  add(entry: OutboxEntry): Promise<void>;
  remove(id: string): Promise<void>;
  /** Oldest first; at most `limit` of them when given. */
  list(limit?: number): Promise<readonly OutboxEntry[]>;
  /** Remembers, across restarts, that a queued message's sender waits to hear it was delivered. */
  awaitDelivery(delivery: AwaitedDelivery): Promise<void>;
  /** Takes the record of a queued message, if one is kept; its final answer has come. */
  takeDelivery(id: string): Promise<AwaitedDelivery | undefined>;
}

export interface RealmStore {
  readonly users: UserStore;
  readonly inboxes: InboxStore;
  readonly sessions: SessionStore;
  readonly groups: GroupStore;
  readonly relayed: RelayLedger;
  readonly outbox: OutboxStore;
  readonly markers: ReadMarkerStore;
  /** Present when several instances can share the store (PostgreSQL); SQLite serves one. */
  readonly cluster?: ClusterLog;
  close(): Promise<void>;
}
