import type { PoolClient } from "pg";
import type { ClusterEvent, GroupOnlineRow } from "../cluster-log.ts";
import { batchable } from "./pg-commit-queue.ts";
import { newEventId } from "../../message-id.ts";
import { appendHistory, appendHistoryMany } from "./pg-group-operations.ts";

// The cluster log's storage operations, run by the PgCommitQueue (docs/design/scale-out.md).
type Row = Record<string, unknown>;

/**
 * Held from a transaction's first event to its commit: positions then commit in the order they
 * were taken, so a reader that has seen position p has seen everything before it (a sequence
 * alone hands out numbers that can commit out of order, and a reader would skip the late one).
 */
const ORDER_LOCK = 72_201;

const lockOrder = async (db: PoolClient): Promise<void> => {
  await db.query("SELECT pg_advisory_xact_lock($1)", [ORDER_LOCK]);
};

const insertEvent = async (db: PoolClient, instance: string, event: ClusterEvent, at: number): Promise<number> =>
  Number(
    (
      await db.query("INSERT INTO cluster_events (instance, body, at) VALUES ($1, $2, $3) RETURNING position", [
        instance,
        JSON.stringify(event),
        at,
      ])
    ).rows[0]?.position,
  );

const countOnline = async (
  db: PoolClient,
  e: { group: string; user: string; realm: string; instance: string },
  delta: 1 | -1,
): Promise<void> => {
  if (delta === 1) {
    await db.query(
      "INSERT INTO group_online (group_name, username, realm, instance, n) VALUES ($1, $2, $3, $4, 1) ON CONFLICT (group_name, " +
        "username, realm, instance) DO UPDATE SET n = group_online.n + 1",
      [e.group, e.user, e.realm, e.instance],
    );
    return;
  }
  await db.query("UPDATE group_online SET n = n - 1 WHERE group_name = $1 AND username = $2 AND realm = $3 AND instance = $4", [
    e.group,
    e.user,
    e.realm,
    e.instance,
  ]);
  await db.query("DELETE FROM group_online WHERE group_name = $1 AND username = $2 AND realm = $3 AND instance = $4 AND n <= 0", [
    e.group,
    e.user,
    e.realm,
    e.instance,
  ]);
};

/** The channel whose notifications wake the instances: each says who sent it and, when they fit, the events it announces. */
export const CLUSTER_CHANNEL = "realm_cluster_events";
/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7900;

/** `self`: the writing log's id, named in its notifications so that it ignores its own. */
type Publish = { instance: string; event: ClusterEvent; at: number; keepHistory: number; self: string };

/**
 * After a CTE `ins` of events (position, instance, body): their positions in order, and their
 * announcement at the commit (`$n` is the writer's id). The notification carries the events
 * themselves, in position order, when they fit in a payload, so that the other instances need not
 * read them back; else only that there are new ones (they read them). Notifications arrive in
 * commit order, and commits in position order (the order lock), so a reader applies announced
 * events right after the last it saw.
 */
const announcing = (n: number): string =>
  `, listed AS (
     SELECT '{"i":' || to_json($${n}::text)::text AS head,
            string_agg('[' || position || ',' || to_json(instance)::text || ',' || body || ']', ',' ORDER BY position) AS events
     FROM ins
   ), payload AS (SELECT head, head || ',"e":[' || events || ']}' AS whole FROM listed)
   SELECT (SELECT array_agg(position ORDER BY position) FROM ins) AS positions,
          pg_notify('${CLUSTER_CHANNEL}', CASE WHEN octet_length(whole) < ${MAX_PAYLOAD_BYTES} THEN whole ELSE head || '}' END)
   FROM payload`;

/** Inserts a run of events ($1 instances, $2 bodies, $3 times) and announces them ($4 the writer). */
const INSERT_AND_ANNOUNCE =
  "WITH ins AS (INSERT INTO cluster_events (instance, body, at) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) " +
  `RETURNING position, instance, body)${announcing(4)}`;

/** Announces events written already, one by one ($1 their positions, $2 the writer). */
const ANNOUNCE_WRITTEN =
  "WITH ins AS (SELECT position, instance, body FROM cluster_events WHERE position = ANY($1::bigint[]))" + announcing(2);

const announce = async (db: PoolClient, self: string, positions: readonly number[]): Promise<void> => {
  await db.query(ANNOUNCE_WRITTEN, [positions, self]);
};

const publishOne = async (db: PoolClient, a: Publish): Promise<number> => {
  const { event } = a;
  if (event.t === "group") {
    const { fact } = event;
    if (fact.kind !== "message")
      await countOnline(
        db,
        { group: event.group, user: fact.user, realm: fact.realm, instance: event.instance },
        fact.kind === "joined" ? 1 : -1,
      );
    if (a.keepHistory > 0) await appendHistory(db, { group: event.group, event: { ...fact, ts: event.ts }, keep: a.keepHistory });
  }
  return insertEvent(db, a.instance, event, a.at);
};

export const publishEvent = batchable(
  async (db: PoolClient, a: Publish): Promise<number> => {
    await lockOrder(db);
    const position = await publishOne(db, a);
    await announce(db, a.self, [position]);
    return position;
  },
  async (db, all) => {
    await lockOrder(db);
    const self = (all[0] as Publish).self;
    // A join or leave also counts who is online: such a run goes one by one. Lines said in groups
    // keep their history in one insert; every event then goes in one insert.
    if (all.some((a) => a.event.t === "group" && a.event.fact.kind !== "message")) {
      const positions: number[] = [];
      for (const a of all) positions.push(await publishOne(db, a));
      await announce(db, self, positions);
      return positions;
    }
    await appendHistoryMany(
      db,
      all.flatMap((a) =>
        a.event.t === "group" && a.keepHistory > 0
          ? [{ group: a.event.group, event: { ...a.event.fact, ts: a.event.ts }, keep: a.keepHistory }]
          : [],
      ),
    );
    // The events and their announcement in one statement: one round trip less a batch.
    const row = (
      await db.query(INSERT_AND_ANNOUNCE, [all.map((a) => a.instance), all.map((a) => JSON.stringify(a.event)), all.map((a) => a.at), self])
    ).rows[0] as Row;
    const positions = (row.positions as Array<string | number>).map(Number);
    return positions;
  },
);

export const clusterSnapshot = async (db: PoolClient): Promise<{ position: number; online: GroupOnlineRow[] }> => {
  await lockOrder(db);
  const position = Number((await db.query("SELECT coalesce(max(position), 0) AS p FROM cluster_events")).rows[0]?.p ?? 0);
  const online = (await db.query("SELECT group_name, username, realm, instance, n FROM group_online")).rows.map((r: Row) => ({
    group: String(r.group_name),
    user: String(r.username),
    realm: String(r.realm),
    instance: String(r.instance),
    count: Number(r.n),
  }));
  return { position, online };
};

export const heartbeat = async (db: PoolClient, a: { instance: string; now: number }): Promise<void> => {
  await db.query("INSERT INTO cluster_instances (id, last_seen) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET last_seen = $2", [
    a.instance,
    a.now,
  ]);
};

export const leaveCluster = async (db: PoolClient, instance: string): Promise<void> => {
  await db.query("DELETE FROM cluster_instances WHERE id = $1", [instance]);
};

/**
 * Declares gone the instances silent since `before`, and those whose members are still listed
 * online but that are not alive at all (a whole realm restarted): each of their members quits
 * its groups, in this one transaction under the order lock, so only one instance does it.
 */
export const reapInstances = async (
  db: PoolClient,
  a: { reaper: string; before: number; now: number; keepHistory: number },
): Promise<string[]> => {
  await lockOrder(db);
  const silent = (await db.query("DELETE FROM cluster_instances WHERE last_seen < $1 RETURNING id", [a.before])).rows.map((r: Row) =>
    String(r.id),
  );
  const orphans = (
    await db.query("SELECT DISTINCT instance FROM group_online WHERE instance <> '' AND instance NOT IN (SELECT id FROM cluster_instances)")
  ).rows.map((r: Row) => String(r.instance));
  const gone = [...new Set([...silent, ...orphans])].filter((id) => id !== a.reaper);
  for (const instance of gone) {
    const rows = (await db.query("DELETE FROM group_online WHERE instance = $1 RETURNING group_name, username, realm, n", [instance]))
      .rows as Row[];
    for (const r of rows) {
      for (let i = 0; i < Number(r.n); i++) {
        const fact = { kind: "quit" as const, user: String(r.username), realm: String(r.realm), eid: newEventId() };
        if (a.keepHistory > 0) await appendHistory(db, { group: String(r.group_name), event: { ...fact, ts: a.now }, keep: a.keepHistory });
        await insertEvent(db, a.reaper, { t: "group", group: String(r.group_name), instance, fact, ts: a.now }, a.now);
      }
    }
    await insertEvent(db, a.reaper, { t: "gone", instance }, a.now);
  }
  return gone;
};

export const purgeEvents = async (db: PoolClient, before: number): Promise<void> => {
  await db.query("DELETE FROM cluster_events WHERE at < $1", [before]);
};
