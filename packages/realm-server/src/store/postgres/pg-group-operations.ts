import type { PoolClient } from "pg";
import type { GroupEventKind } from "@realmchat/protocol";
import { MAX_READ_MARKERS, type GroupHistoryRecord, type GroupRecord, type HistoryPage, type ReadMarker } from "../realm-store.ts";
import { TRIM_EVERY } from "../sqlite/group-operations.ts";

// Group storage operations on PostgreSQL, run by the PgCommitQueue (see sqlite/group-operations.ts).
type Row = Record<string, unknown>;

const recordOf = (r: Row): GroupRecord => ({
  name: String(r.name),
  createdBy: String(r.created_by),
  createdAt: Number(r.created_at),
  ...(r.merged_into === null ? {} : { mergedInto: String(r.merged_into), mergePending: r.merge_pending === true }),
});
const COLUMNS = "name, created_by, created_at, merged_into, merge_pending";

export const getGroup = async (db: PoolClient, name: string): Promise<GroupRecord | undefined> => {
  const r = (await db.query(`SELECT ${COLUMNS} FROM groups WHERE name = $1`, [name])).rows[0] as Row | undefined;
  return r === undefined ? undefined : recordOf(r);
};
export const listGroups = async (db: PoolClient, q: { merged: boolean }): Promise<GroupRecord[]> =>
  (
    await db.query(`SELECT ${COLUMNS} FROM groups WHERE ${q.merged ? "merge_pending" : "merged_into IS NULL"} ORDER BY created_at, name`)
  ).rows.map((r) => recordOf(r as Row));
export const ensureGroup = async (
  db: PoolClient,
  g: { name: string; createdBy: string; at: number },
): Promise<{ group: GroupRecord; created: boolean }> => {
  const inserted =
    (
      await db.query("INSERT INTO groups (name, created_by, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING", [
        g.name,
        g.createdBy,
        g.at,
      ])
    ).rowCount ?? 0;
  return { group: (await getGroup(db, g.name)) as GroupRecord, created: inserted > 0 };
};
export const addMember = async (db: PoolClient, m: { group: string; member: string }): Promise<void> => {
  await db.query("INSERT INTO group_members (group_name, member) VALUES ($1, $2) ON CONFLICT DO NOTHING", [m.group, m.member]);
};
export const removeMember = async (db: PoolClient, m: { group: string; member: string }): Promise<void> => {
  await db.query("DELETE FROM group_members WHERE group_name = $1 AND member = $2", [m.group, m.member]);
};
export const listMembers = async (db: PoolClient, group: string): Promise<string[]> =>
  (await db.query("SELECT member FROM group_members WHERE group_name = $1 ORDER BY seq", [group])).rows.map((r: Row) => String(r.member));

/** Keeps a group's newest `keep` events; on about one append in TRIM_EVERY when `keep` is large (sqlite/group-operations.ts). */
const trimHistory = async (db: PoolClient, group: string, keep: number): Promise<void> => {
  const cut = (
    await db.query("SELECT ts, seq FROM group_history WHERE group_name = $1 ORDER BY ts DESC, seq DESC LIMIT 1 OFFSET $2", [group, keep])
  ).rows[0] as Row | undefined;
  if (cut === undefined) return;
  await db.query("DELETE FROM group_history WHERE group_name = $1 AND (ts < $2 OR (ts = $2 AND seq <= $3))", [group, cut.ts, cut.seq]);
};
const insertEvent = async (db: PoolClient, group: string, e: GroupHistoryRecord): Promise<number> =>
  Number(
    (
      await db.query(
        "INSERT INTO group_history (group_name, kind, username, realm, body, ts, eid) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING seq",
        [group, e.kind, e.user, e.realm, e.text ?? null, e.ts, e.eid ?? null],
      )
    ).rows[0].seq,
  );
export const appendHistory = async (db: PoolClient, a: { group: string; event: GroupHistoryRecord; keep: number }): Promise<void> => {
  const seq = await insertEvent(db, a.group, a.event);
  if (a.keep < TRIM_EVERY || seq % TRIM_EVERY === 0) await trimHistory(db, a.group, a.keep);
};
/** Several appends (a turn's group lines) in one insert; each group trimmed once if one of its rows calls for it. */
export const appendHistoryMany = async (
  db: PoolClient,
  all: readonly { readonly group: string; readonly event: GroupHistoryRecord; readonly keep: number }[],
): Promise<void> => {
  if (all.length === 0) return;
  const rows = (
    await db.query(
      "INSERT INTO group_history (group_name, kind, username, realm, body, ts, eid) " +
        "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[]) " +
        "RETURNING seq, group_name",
      [
        all.map((a) => a.group),
        all.map((a) => a.event.kind),
        all.map((a) => a.event.user),
        all.map((a) => a.event.realm),
        all.map((a) => a.event.text ?? null),
        all.map((a) => a.event.ts),
        all.map((a) => a.event.eid ?? null),
      ],
    )
  ).rows as Row[];
  const keepOf = new Map(all.map((a) => [a.group, a.keep]));
  const trim = new Set<string>();
  for (const r of rows) {
    const group = String(r.group_name);
    if ((keepOf.get(group) ?? 0) < TRIM_EVERY || Number(r.seq) % TRIM_EVERY === 0) trim.add(group);
  }
  for (const group of trim) await trimHistory(db, group, keepOf.get(group) ?? 0);
};
const eventOf = (r: Row): GroupHistoryRecord => ({
  kind: String(r.kind) as GroupEventKind,
  user: String(r.username),
  realm: String(r.realm),
  ...(r.body === null ? {} : { text: String(r.body) }),
  ts: Number(r.ts),
  ...(r.eid === null ? {} : { eid: String(r.eid) }),
});
export const readHistory = async (db: PoolClient, q: { group: string; limit: number }): Promise<GroupHistoryRecord[]> =>
  (
    await db.query(
      "SELECT kind, username, realm, body, ts, eid FROM (SELECT seq, kind, username, realm, body, ts, eid FROM group_history WHERE " +
        "group_name = $1 ORDER BY ts DESC, seq DESC LIMIT $2) AS newest ORDER BY ts, seq",
      [q.group, q.limit],
    )
  ).rows.map((r: Row) => eventOf(r));
export const readHistoryBefore = async (db: PoolClient, q: { group: string; before: string; limit: number }): Promise<HistoryPage> => {
  const at = (await db.query("SELECT ts, seq FROM group_history WHERE group_name = $1 AND eid = $2", [q.group, q.before])).rows[0] as
    Row | undefined;
  if (at === undefined) return { events: [], more: false };
  const rows = (
    await db.query(
      "SELECT kind, username, realm, body, ts, eid FROM group_history WHERE group_name = $1 AND (ts < $2 OR (ts = $2 AND seq < $3)) " +
        "ORDER BY ts DESC, seq DESC LIMIT $4",
      [q.group, at.ts, at.seq, q.limit + 1],
    )
  ).rows as Row[];
  return { events: rows.slice(0, q.limit).reverse().map(eventOf), more: rows.length > q.limit };
};
export const setReadMarker = async (db: PoolClient, m: { username: string; conversation: string; ts: number }): Promise<ReadMarker> => {
  const row = (
    await db.query(
      "INSERT INTO read_markers (username, conversation, ts) VALUES ($1, $2, $3) ON CONFLICT (username, conversation) DO UPDATE SET " +
        "ts = GREATEST(read_markers.ts, excluded.ts) RETURNING ts",
      [m.username, m.conversation, m.ts],
    )
  ).rows[0] as Row;
  await db.query(
    "DELETE FROM read_markers WHERE username = $1 AND conversation NOT IN (SELECT conversation FROM read_markers WHERE username = $1 " +
      "ORDER BY ts DESC LIMIT $2)",
    [m.username, MAX_READ_MARKERS],
  );
  return { conversation: m.conversation, ts: Number(row.ts) };
};
export const listReadMarkers = async (db: PoolClient, username: string): Promise<ReadMarker[]> =>
  (await db.query("SELECT conversation, ts FROM read_markers WHERE username = $1 ORDER BY conversation", [username])).rows.map(
    (r: Row) => ({ conversation: String(r.conversation), ts: Number(r.ts) }),
  );
export const absorbGroup = async (
  db: PoolClient,
  a: { group: string; members: readonly string[]; history: readonly GroupHistoryRecord[]; keep: number },
): Promise<void> => {
  for (const member of a.members) await addMember(db, { group: a.group, member });
  for (const e of a.history) {
    // A merge offered again (its confirmation was lost) adds nothing twice.
    const known = await db.query(
      "SELECT 1 FROM group_history WHERE group_name = $1 AND ts = $2 AND kind = $3 AND username = $4 AND realm = $5 AND body " +
        "IS NOT DISTINCT FROM $6",
      [a.group, e.ts, e.kind, e.user, e.realm, e.text ?? null],
    );
    if (known.rowCount === 0) await insertEvent(db, a.group, e);
  }
  await trimHistory(db, a.group, a.keep);
};
export const markMerged = async (db: PoolClient, m: { group: string; home: string }): Promise<void> => {
  await db.query("UPDATE groups SET merged_into = $1, merge_pending = TRUE WHERE name = $2", [m.home, m.group]);
};
export const confirmMerge = async (db: PoolClient, group: string): Promise<void> => {
  await db.query("UPDATE groups SET merge_pending = FALSE WHERE name = $1", [group]);
  await db.query("DELETE FROM group_members WHERE group_name = $1", [group]);
  await db.query("DELETE FROM group_history WHERE group_name = $1", [group]);
};
