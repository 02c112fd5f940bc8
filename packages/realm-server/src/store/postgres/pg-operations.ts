import type { PoolClient } from "pg";
import { batchable } from "./pg-commit-queue.ts";
import { INBOX_SIZES_SQL, inboxSizesOf } from "../realm-store.ts";
import type {
  AwaitedDelivery,
  InboxSizes,
  OutboxEntry,
  RelayedMessage,
  RelayOutcome,
  Session,
  StoredMessage,
  UserRecord,
} from "../realm-store.ts";

// Storage operations on PostgreSQL: plain functions run by the PgCommitQueue in its per-turn transaction.
type Row = Record<string, unknown>;

const userOf = (r: Row): UserRecord => ({
  username: String(r.username),
  displayName: String(r.display_name),
  passwordHash: String(r.password_hash),
});
export const getUser = batchable(
  async (db: PoolClient, username: string): Promise<UserRecord | undefined> => {
    const r = (await db.query("SELECT username, display_name, password_hash FROM users WHERE username = $1", [username])).rows[0] as
      Row | undefined;
    return r === undefined ? undefined : userOf(r);
  },
  async (db, usernames) => {
    const rows = (await db.query("SELECT username, display_name, password_hash FROM users WHERE username = ANY($1::text[])", [usernames]))
      .rows as Row[];
    const byName = new Map(rows.map((r) => [String(r.username), userOf(r)]));
    return usernames.map((u) => byName.get(u));
  },
);
export const listUsers = async (db: PoolClient): Promise<UserRecord[]> =>
  (await db.query("SELECT username, display_name, password_hash FROM users ORDER BY username")).rows.map((r) => userOf(r as Row));
/** A config user is added once: a name seeded before is left as the operator left it. True if added. */
export const seedUser = async (db: PoolClient, u: UserRecord): Promise<boolean> => {
  const first = await db.query("INSERT INTO seeded_users (username) VALUES ($1) ON CONFLICT DO NOTHING", [u.username]);
  if (first.rowCount !== 1) return false;
  const added = await db.query(
    "INSERT INTO users (username, display_name, password_hash) VALUES ($1, $2, $3) ON CONFLICT (username) DO NOTHING",
    [u.username, u.displayName, u.passwordHash],
  );
  return added.rowCount === 1;
};
export const putUser = async (db: PoolClient, u: UserRecord): Promise<void> => {
  await db.query(
    "INSERT INTO users (username, display_name, password_hash) VALUES ($1, $2, $3) ON CONFLICT (username) DO UPDATE SET " +
      "display_name = excluded.display_name, password_hash = excluded.password_hash",
    [u.username, u.displayName, u.passwordHash],
  );
};
export const removeUser = async (db: PoolClient, username: string): Promise<boolean> => {
  const removed = (await db.query("DELETE FROM users WHERE username = $1", [username])).rowCount ?? 0;
  await db.query("DELETE FROM inbox WHERE recipient = $1", [username]);
  await db.query("DELETE FROM sessions WHERE username = $1", [username]);
  await db.query("DELETE FROM read_markers WHERE username = $1", [username]);
  return removed > 0;
};

const insertInbox = async (db: PoolClient, m: StoredMessage): Promise<void> => {
  await db.query(
    "INSERT INTO inbox (recipient, id, sender, sender_name, recipient_name, body, sent_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [m.to, m.id, m.from, m.fromName, m.toName, m.text, m.sentAt],
  );
};
export const appendInbox = batchable(insertInbox, async (db, messages) => {
  // One row per message, inserted in the order given (their seq follows it).
  await db.query(
    `INSERT INTO inbox (recipient, id, sender, sender_name, recipient_name, body, sent_at)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])`,
    [
      messages.map((m) => m.to),
      messages.map((m) => m.id),
      messages.map((m) => m.from),
      messages.map((m) => m.fromName),
      messages.map((m) => m.toName),
      messages.map((m) => m.text),
      messages.map((m) => m.sentAt),
    ],
  );
  return messages.map(() => undefined);
});
export const countInbox = batchable(
  async (db: PoolClient, username: string): Promise<number> =>
    Number((await db.query("SELECT count(*) AS n FROM inbox WHERE recipient = $1", [username])).rows[0]?.n ?? 0),
  async (db, usernames) => {
    const rows = (
      await db.query("SELECT recipient, count(*) AS n FROM inbox WHERE recipient = ANY($1::text[]) GROUP BY recipient", [usernames])
    ).rows as Row[];
    const counts = new Map(rows.map((r) => [String(r.recipient), Number(r.n)]));
    return usernames.map((u) => counts.get(u) ?? 0);
  },
);
export const inboxSizes = async (db: PoolClient): Promise<InboxSizes> => inboxSizesOf((await db.query(INBOX_SIZES_SQL)).rows[0]);

export const peekInbox = async (db: PoolClient, q: { username: string; limit: number }): Promise<StoredMessage[]> =>
  (
    await db.query(
      "SELECT id, sender, sender_name, recipient, recipient_name, body, sent_at FROM inbox WHERE recipient = $1 ORDER BY seq LIMIT $2",
      [q.username, q.limit],
    )
  ).rows.map((r: Row) => ({
    id: String(r.id),
    from: String(r.sender),
    fromName: String(r.sender_name),
    to: String(r.recipient),
    toName: String(r.recipient_name),
    text: String(r.body),
    sentAt: Number(r.sent_at),
  }));
/** Removes `username`'s messages up to and including `upTo` (nothing when `upTo` is not there); how many. */
export const ackInbox = batchable(
  async (db: PoolClient, q: { username: string; upTo: string }): Promise<number> =>
    (
      await db.query("DELETE FROM inbox WHERE recipient = $1 AND seq <= (SELECT seq FROM inbox WHERE recipient = $1 AND id = $2)", [
        q.username,
        q.upTo,
      ])
    ).rowCount ?? 0,
  // A turn's acknowledgements (each live recipient's, once per turn) in one statement. Two of one
  // recipient remove together what each would alone; a row counts for one of them (the sum is right).
  async (db, acks) => {
    const rows = (
      await db.query(
        `WITH q AS (SELECT * FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS q(recipient, up_to, n)),
         upto AS (SELECT q.n, i.recipient, i.seq FROM q JOIN inbox i ON i.recipient = q.recipient AND i.id = q.up_to),
         gone AS (DELETE FROM inbox d USING upto WHERE d.recipient = upto.recipient AND d.seq <= upto.seq RETURNING upto.n)
         SELECT n, count(*) AS removed FROM gone GROUP BY n`,
        [acks.map((a) => a.username), acks.map((a) => a.upTo)],
      )
    ).rows as Row[];
    const removed = new Map(rows.map((r) => [Number(r.n), Number(r.removed)]));
    return acks.map((_, i) => removed.get(i + 1) ?? 0);
  },
);

export const removeFromInbox = async (db: PoolClient, q: { username: string; ids: readonly string[] }): Promise<number> =>
  (await db.query("DELETE FROM inbox WHERE recipient = $1 AND id = ANY($2::text[])", [q.username, q.ids])).rowCount ?? 0;

export const insertSession = async (db: PoolClient, s: { hash: string; username: string; at: number }): Promise<void> => {
  await db.query("INSERT INTO sessions (token_hash, username, last_seen) VALUES ($1, $2, $3)", [s.hash, s.username, s.at]);
};
/** The session if it has not idled out (an idle one is deleted); its last use is written back at most every `persistMs`. */
type SessionTouch = { hash: string; token: string; now: number; idleMs: number; persistMs: number };
/** What a session's row means now: gone (idle too long: deleted), or still good (and seen again). */
const touchRow = async (db: PoolClient, t: SessionTouch, r: Row | undefined): Promise<Session | undefined> => {
  if (r === undefined) return undefined;
  const lastSeen = Number(r.last_seen);
  if (t.now - lastSeen > t.idleMs) {
    await db.query("DELETE FROM sessions WHERE token_hash = $1", [t.hash]);
    return undefined;
  }
  if (t.now - lastSeen > t.persistMs) await db.query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2", [t.now, t.hash]);
  return { token: t.token, username: String(r.username) };
};
export const touchSession = batchable(
  async (db: PoolClient, t: SessionTouch): Promise<Session | undefined> =>
    touchRow(
      db,
      t,
      (await db.query("SELECT username, last_seen FROM sessions WHERE token_hash = $1", [t.hash])).rows[0] as Row | undefined,
    ),
  async (db, touches) => {
    const rows = (
      await db.query("SELECT token_hash, username, last_seen FROM sessions WHERE token_hash = ANY($1::text[])", [
        touches.map((t) => t.hash),
      ])
    ).rows as Row[];
    const byHash = new Map(rows.map((r) => [String(r.token_hash), r]));
    const out: Array<Session | undefined> = [];
    // The same token twice in a run: the second sees what the first did (a deleted session is gone).
    for (const t of touches) {
      const session = await touchRow(db, t, byHash.get(t.hash));
      if (session === undefined) byHash.delete(t.hash);
      out.push(session);
    }
    return out;
  },
);
export const deleteSession = async (db: PoolClient, hash: string): Promise<boolean> =>
  ((await db.query("DELETE FROM sessions WHERE token_hash = $1", [hash])).rowCount ?? 0) > 0;
export const deleteUserSessions = async (db: PoolClient, username: string): Promise<number> =>
  (await db.query("DELETE FROM sessions WHERE username = $1", [username])).rowCount ?? 0;

export interface PgAcceptance {
  readonly origin: string;
  readonly message: RelayedMessage;
  readonly at: number;
}
export const acceptRelayed = async (db: PoolClient, a: PgAcceptance): Promise<{ outcome: RelayOutcome; fresh: boolean }> => {
  const known = (await db.query("SELECT outcome FROM relayed WHERE origin = $1 AND id = $2", [a.origin, a.message.id])).rows[0] as
    Row | undefined;
  if (known !== undefined) return { outcome: JSON.parse(String(known.outcome)) as RelayOutcome, fresh: false };
  const recipient = await getUser(db, a.message.user);
  const outcome: RelayOutcome =
    recipient === undefined
      ? { status: "rejected", code: "USER_NOT_FOUND", message: `user '${a.message.user}' not found` }
      : { status: "stored" };
  if (recipient !== undefined) await appendInbox(db, { ...a.message, to: recipient.username, toName: recipient.displayName });
  await db.query("INSERT INTO relayed (origin, id, outcome, received_at) VALUES ($1, $2, $3, $4)", [
    a.origin,
    a.message.id,
    JSON.stringify(outcome),
    a.at,
  ]);
  return { outcome, fresh: true };
};

export const addOutbox = async (db: PoolClient, e: OutboxEntry): Promise<void> => {
  await db.query("INSERT INTO outbox (id, entry) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING", [e.id, JSON.stringify(e)]);
};
export const removeOutbox = async (db: PoolClient, id: string): Promise<void> => {
  await db.query("DELETE FROM outbox WHERE id = $1", [id]);
};
export const listOutbox = async (db: PoolClient, limit: number | undefined): Promise<OutboxEntry[]> =>
  (await db.query("SELECT entry FROM outbox ORDER BY seq LIMIT $1", [limit ?? null])).rows.map(
    (r: Row) => JSON.parse(String(r.entry)) as OutboxEntry,
  );
export const addAwaited = async (db: PoolClient, a: { delivery: AwaitedDelivery; at: number }): Promise<void> => {
  await db.query(
    "INSERT INTO awaited_delivery (id, sender, recipient, at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET sender = " +
      "excluded.sender, recipient = excluded.recipient, at = excluded.at",
    [a.delivery.id, a.delivery.from, a.delivery.to, a.at],
  );
};
export const takeAwaited = async (db: PoolClient, id: string): Promise<AwaitedDelivery | undefined> => {
  const r = (await db.query("DELETE FROM awaited_delivery WHERE id = $1 RETURNING sender, recipient", [id])).rows[0] as Row | undefined;
  return r === undefined ? undefined : { id, from: String(r.sender), to: String(r.recipient) };
};
export const purgeOld = async (db: PoolClient, p: { relayedBefore: number; sessionsBefore: number }): Promise<void> => {
  await db.query("DELETE FROM relayed WHERE received_at < $1", [p.relayedBefore]);
  await db.query("DELETE FROM awaited_delivery WHERE at < $1", [p.relayedBefore]);
  await db.query("DELETE FROM sessions WHERE last_seen < $1", [p.sessionsBefore]);
};
/** A session's last use, written back (at most every SESSION_PERSIST_MS) by the instance that served it. */
export const persistSessionUse = async (db: PoolClient, s: { hash: string; at: number }): Promise<void> => {
  await db.query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2 AND last_seen < $1", [s.at, s.hash]);
};
