import type { SqlDatabase } from "@realmchat/node-runtime";
import { INBOX_SIZES_SQL, inboxSizesOf } from "../realm-store.ts";
import type { AwaitedDelivery, InboxSizes, OutboxEntry, RelayedMessage, RelayOutcome, StoredMessage, UserRecord } from "../realm-store.ts";

// Storage operations: plain functions run by the CommitQueue inside its per-turn transaction.
export const putUser = (db: SqlDatabase, u: UserRecord): void => {
  db.prepare(
    "INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, ?) ON CONFLICT (username) DO UPDATE SET " +
      "display_name = excluded.display_name, password_hash = excluded.password_hash",
  ).run(u.username, u.displayName, u.passwordHash);
};
/** A config user is added once: a name seeded before is left as the operator left it. True if added. */
export const seedUser = (db: SqlDatabase, u: UserRecord): boolean => {
  if (db.prepare("SELECT 1 FROM seeded_users WHERE username = ?").get(u.username) !== undefined) return false;
  db.prepare("INSERT INTO seeded_users (username) VALUES (?)").run(u.username);
  if (db.prepare("SELECT 1 FROM users WHERE username = ?").get(u.username) !== undefined) return false;
  db.prepare("INSERT INTO users (username, display_name, password_hash) VALUES (?, ?, ?)").run(u.username, u.displayName, u.passwordHash);
  return true;
};
export const listOutbox = (db: SqlDatabase, limit: number): OutboxEntry[] =>
  db
    .prepare("SELECT entry FROM outbox ORDER BY seq LIMIT ?")
    .all(limit)
    .map((r) => JSON.parse(String(r.entry)) as OutboxEntry);
export const deleteUser = (db: SqlDatabase, username: string): void => {
  db.prepare("DELETE FROM users WHERE username = ?").run(username);
  db.prepare("DELETE FROM inbox WHERE recipient = ?").run(username);
  db.prepare("DELETE FROM sessions WHERE username = ?").run(username);
  db.prepare("DELETE FROM read_markers WHERE username = ?").run(username);
};
/** A message with its place in the inbox: sequence numbers are given in memory (SqliteInboxes), in the order messages come. */
export type SequencedMessage = StoredMessage & { readonly seq: number };
export const appendInbox = (db: SqlDatabase, m: SequencedMessage): void => {
  db.prepare(
    "INSERT INTO inbox (seq, recipient, id, sender, sender_name, recipient_name, body, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  ).run(m.seq, m.to, m.id, m.from, m.fromName, m.toName, m.text, m.sentAt);
};
const toStored = (r: Record<string, unknown>): StoredMessage => ({
  id: String(r.id),
  from: String(r.sender),
  fromName: String(r.sender_name),
  to: String(r.recipient),
  toName: String(r.recipient_name),
  text: String(r.body),
  sentAt: Number(r.sent_at),
});
export const peekInbox = (db: SqlDatabase, q: { username: string; limit: number }): StoredMessage[] =>
  db
    .prepare("SELECT id, sender, sender_name, recipient, recipient_name, body, sent_at FROM inbox WHERE recipient = ? ORDER BY seq LIMIT ?")
    .all(q.username, q.limit)
    .map(toStored);
export const inboxSizes = (db: SqlDatabase): InboxSizes => inboxSizesOf(db.prepare(INBOX_SIZES_SQL).get());
export const ackInbox = (db: SqlDatabase, q: { username: string; upTo: string }): number => {
  const row = db.prepare("SELECT seq FROM inbox WHERE recipient = ? AND id = ?").get(q.username, q.upTo);
  if (row === undefined) return 0;
  const result = db.prepare("DELETE FROM inbox WHERE recipient = ? AND seq <= ?").run(q.username, row.seq as number) as {
    changes: number | bigint;
  };
  return Number(result.changes);
};
export const removeFromInbox = (db: SqlDatabase, q: { username: string; ids: readonly string[] }): number => {
  const remove = db.prepare("DELETE FROM inbox WHERE recipient = ? AND id = ?");
  let removed = 0;
  for (const id of q.ids) removed += Number((remove.run(q.username, id) as { changes: number | bigint }).changes);
  return removed;
};
export const insertSession = (db: SqlDatabase, s: { hash: string; username: string; at: number }): void => {
  db.prepare("INSERT INTO sessions (token_hash, username, last_seen) VALUES (?, ?, ?)").run(s.hash, s.username, s.at);
};
export const touchSession = (db: SqlDatabase, s: { hash: string; at: number }): void => {
  db.prepare("UPDATE sessions SET last_seen = ? WHERE token_hash = ?").run(s.at, s.hash);
};
export const deleteSession = (db: SqlDatabase, hash: string): void => {
  db.prepare("DELETE FROM sessions WHERE token_hash = ?").run(hash);
};
export const addOutbox = (db: SqlDatabase, e: OutboxEntry): void => {
  db.prepare("INSERT OR IGNORE INTO outbox (id, entry) VALUES (?, ?)").run(e.id, JSON.stringify(e));
};
export const addAwaited = (db: SqlDatabase, a: { delivery: AwaitedDelivery; at: number }): void => {
  db.prepare("INSERT OR REPLACE INTO awaited_delivery (id, sender, recipient, at) VALUES (?, ?, ?, ?)").run(
    a.delivery.id,
    a.delivery.from,
    a.delivery.to,
    a.at,
  );
};
export const takeAwaited = (db: SqlDatabase, id: string): AwaitedDelivery | undefined => {
  const row = db.prepare("DELETE FROM awaited_delivery WHERE id = ? RETURNING sender, recipient").get(id);
  return row === undefined ? undefined : { id, from: String(row.sender), to: String(row.recipient) };
};
export const purgeAwaited = (db: SqlDatabase, before: number): void => {
  db.prepare("DELETE FROM awaited_delivery WHERE at < ?").run(before);
};
export const removeOutbox = (db: SqlDatabase, id: string): void => {
  db.prepare("DELETE FROM outbox WHERE id = ?").run(id);
};
export interface Acceptance {
  readonly origin: string;
  readonly message: RelayedMessage;
  readonly recipient: UserRecord | undefined;
  readonly at: number;
  /** The inbox place the message takes if it is stored. */
  readonly seq: number;
}
export const acceptRelayed = (db: SqlDatabase, a: Acceptance): { outcome: RelayOutcome; fresh: boolean } => {
  const known = db.prepare("SELECT outcome FROM relayed WHERE origin = ? AND id = ?").get(a.origin, a.message.id);
  if (known !== undefined) return { outcome: JSON.parse(String(known.outcome)) as RelayOutcome, fresh: false };
  const outcome: RelayOutcome =
    a.recipient === undefined
      ? { status: "rejected", code: "USER_NOT_FOUND", message: `user '${a.message.user}' not found` }
      : { status: "stored" };
  if (a.recipient !== undefined) {
    appendInbox(db, { ...a.message, to: a.recipient.username, toName: a.recipient.displayName, seq: a.seq });
  }
  db.prepare("INSERT INTO relayed (origin, id, outcome, received_at) VALUES (?, ?, ?, ?)").run(
    a.origin,
    a.message.id,
    JSON.stringify(outcome),
    a.at,
  );
  return { outcome, fresh: true };
};
export const purgeRelayed = (db: SqlDatabase, before: number): void => {
  db.prepare("DELETE FROM relayed WHERE received_at < ?").run(before);
};
