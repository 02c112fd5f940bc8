import type { SqlDatabase } from "@realmchat/node-runtime";
import type { GroupEventKind } from "@realmchat/protocol";
import type { GroupHistoryRecord, GroupRecord } from "../realm-store.ts";

// Group storage operations: plain functions run by the CommitQueue inside its per-turn transaction.
export const insertGroup = (db: SqlDatabase, g: GroupRecord): void => {
  db.prepare("INSERT OR IGNORE INTO groups (name, created_by, created_at) VALUES (?, ?, ?)").run(g.name, g.createdBy, g.createdAt);
};
export const addMember = (db: SqlDatabase, m: { group: string; member: string; at: number }): void => {
  db.prepare("INSERT OR IGNORE INTO group_members (group_name, username, joined_at) VALUES (?, ?, ?)").run(m.group, m.member, m.at);
};
export const removeMember = (db: SqlDatabase, m: { group: string; member: string }): void => {
  db.prepare("DELETE FROM group_members WHERE group_name = ? AND username = ?").run(m.group, m.member);
};
export const listMembers = (db: SqlDatabase, group: string): string[] =>
  db
    .prepare("SELECT username FROM group_members WHERE group_name = ? ORDER BY joined_at, rowid")
    .all(group)
    .map((r) => String(r.username));

/**
 * Keeps a group's newest `keep` events. Run on every append when `keep` is small, and on about one
 * in TRIM_EVERY appends otherwise: finding the cut walks `keep` index entries.
 */
const trimHistory = (db: SqlDatabase, group: string, keep: number): void => {
  const cut = db
    .prepare("SELECT ts, seq FROM group_history WHERE group_name = ? ORDER BY ts DESC, seq DESC LIMIT 1 OFFSET ?")
    .get(group, keep);
  if (cut === undefined) return;
  db.prepare("DELETE FROM group_history WHERE group_name = ? AND (ts < ? OR (ts = ? AND seq <= ?))").run(
    group,
    cut.ts as number,
    cut.ts as number,
    cut.seq as number,
  );
};
export const TRIM_EVERY = 64;
const insertEvent = (db: SqlDatabase, group: string, e: GroupHistoryRecord): number =>
  Number(
    (
      db
        .prepare("INSERT INTO group_history (group_name, kind, user, realm, body, ts, eid) VALUES (?, ?, ?, ?, ?, ?, ?)")
        .run(group, e.kind, e.user, e.realm, e.text ?? null, e.ts, e.eid ?? null) as { lastInsertRowid: number | bigint }
    ).lastInsertRowid,
  );
export const appendHistory = (db: SqlDatabase, a: { group: string; event: GroupHistoryRecord; keep: number }): void => {
  const seq = insertEvent(db, a.group, a.event);
  if (a.keep < TRIM_EVERY || seq % TRIM_EVERY === 0) trimHistory(db, a.group, a.keep);
};
const eventOf = (r: Record<string, unknown>): GroupHistoryRecord => ({
  kind: String(r.kind) as GroupEventKind,
  user: String(r.user),
  realm: String(r.realm),
  ...(r.body === null ? {} : { text: String(r.body) }),
  ts: Number(r.ts),
  ...(r.eid === null ? {} : { eid: String(r.eid) }),
});
export const readHistory = (db: SqlDatabase, q: { group: string; limit: number }): GroupHistoryRecord[] =>
  db
    .prepare(
      "SELECT kind, user, realm, body, ts, eid FROM (SELECT seq, kind, user, realm, body, ts, eid FROM group_history WHERE " +
        "group_name = ? ORDER BY ts DESC, seq DESC LIMIT ?) ORDER BY ts, seq",
    )
    .all(q.group, q.limit)
    .map(eventOf);
/** Up to `limit` events before the event `before`, oldest first, and whether older ones remain; none if `before` is not kept. */
export const readHistoryBefore = (
  db: SqlDatabase,
  q: { group: string; before: string; limit: number },
): { events: GroupHistoryRecord[]; more: boolean } => {
  const at = db.prepare("SELECT ts, seq FROM group_history WHERE group_name = ? AND eid = ?").get(q.group, q.before);
  if (at === undefined) return { events: [], more: false };
  const rows = db
    .prepare(
      "SELECT kind, user, realm, body, ts, eid FROM group_history WHERE group_name = ? AND (ts < ? OR (ts = ? AND seq < ?)) " +
        "ORDER BY ts DESC, seq DESC LIMIT ?",
    )
    .all(q.group, at.ts as number, at.ts as number, at.seq as number, q.limit + 1);
  return { events: rows.slice(0, q.limit).reverse().map(eventOf), more: rows.length > q.limit };
};

export interface Absorption {
  readonly group: string;
  readonly members: readonly string[];
  readonly history: readonly GroupHistoryRecord[];
  readonly keep: number;
  readonly at: number;
}
export const absorbGroup = (db: SqlDatabase, a: Absorption): void => {
  for (const member of a.members) addMember(db, { group: a.group, member, at: a.at });
  const known = db.prepare(
    "SELECT 1 FROM group_history WHERE group_name = ? AND ts = ? AND kind = ? AND user = ? AND realm = ? AND body IS ?",
  );
  // A merge offered again (its confirmation was lost) adds nothing twice.
  for (const e of a.history)
    if (known.get(a.group, e.ts, e.kind, e.user, e.realm, e.text ?? null) === undefined) insertEvent(db, a.group, e);
  trimHistory(db, a.group, a.keep);
};
export const markMerged = (db: SqlDatabase, m: { group: string; home: string }): void => {
  db.prepare("UPDATE groups SET merged_into = ?, merge_pending = 1 WHERE name = ?").run(m.home, m.group);
};
export const confirmMerge = (db: SqlDatabase, group: string): void => {
  db.prepare("UPDATE groups SET merge_pending = 0 WHERE name = ?").run(group);
  db.prepare("DELETE FROM group_members WHERE group_name = ?").run(group);
  db.prepare("DELETE FROM group_history WHERE group_name = ?").run(group);
};
