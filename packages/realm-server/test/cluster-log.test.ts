import pg from "pg";
import { describe, expect, it } from "vitest";
import type { LiveEvent } from "@realmchat/protocol";
import type { ClusterEvent, ClusterLog, ClusterRow } from "../src/store/cluster-log.ts";
import { PgRealmStore } from "../src/store/postgres/pg-realm-store.ts";
import { postgresForThisFile } from "./support/embedded-postgres.ts";
import { eventually } from "./support/eventually.ts";

const server = postgresForThisFile();

/** A log's subscriber that keeps every row it is handed. */
async function follow(log: ClusterLog): Promise<ClusterRow[]> {
  const rows: ClusterRow[] = [];
  await log.subscribe(
    0,
    (row) => rows.push(row),
    () => undefined,
  );
  return rows;
}

const outbox = (): ClusterEvent => ({ t: "outbox" });

/** Two instances' stores on one new database, their logs, and the database's URL. */
async function twoInstances(database: string) {
  const url = await server.createDatabase(database);
  const a = await PgRealmStore.open(url, { sessionIdleMs: 60_000 });
  const b = await PgRealmStore.open(url, { sessionIdleMs: 60_000 });
  return { url, logA: a.cluster as ClusterLog, logB: b.cluster as ClusterLog, close: () => Promise.all([a.close(), b.close()]) };
}

describe("the PostgreSQL cluster log", () => {
  it("hands every event to every instance once, in position order: its own from memory, others' and those after a gap read", async () => {
    const { url, logA, logB, close } = await twoInstances("cluster_log_order");
    const seenA = await follow(logA);
    const seenB = await follow(logB);

    // Both write at once, each as fast as its commits go: A's reads of B's events race with A's own events.
    const positions: number[] = [];
    const writes = async (log: ClusterLog, instance: string, count: number): Promise<void> => {
      for (let i = 0; i < count; i++) positions.push(await log.publish(instance, outbox()));
    };
    await Promise.all([writes(logA, "a", 100), writes(logA, "a", 100), writes(logB, "b", 100)]);
    // A position taken and never committed: the next event is not right after the last one seen.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    await other.query("BEGIN");
    await other.query("INSERT INTO cluster_events (instance, body, at) VALUES ('x', '{\"t\":\"outbox\"}', 0)");
    await other.query("ROLLBACK");
    await other.end();
    positions.push(await logA.publish("a", outbox()));

    const expected = [...positions].sort((x, y) => x - y);
    await eventually(() => expect(seenA.map((r) => r.position)).toEqual(expected));
    await eventually(() => expect(seenB.map((r) => r.position)).toEqual(expected));
    expect(new Set(expected).size).toBe(301);
    // The gap is there, and the event after it still arrived.
    expect(expected[300] as number).toBeGreaterThan((expected[299] as number) + 1);
    expect(seenA.filter((r) => r.instance === "b")).toHaveLength(100);
    await close();
  }, 60_000);

  it("carries pushes to other instances without a row, in the order sent, many a turn; one too large for a payload as a row", async () => {
    const { url, logA, logB, close } = await twoInstances("cluster_log_pushes");
    const pushedTo = (into: string[]) => (username: string, event: LiveEvent) =>
      into.push(`${username}:${event.ev === "notice" ? event.text : ""}`);
    const heardA: string[] = [];
    const heardB: string[] = [];
    const rowsB: ClusterRow[] = [];
    await logA.subscribe(0, () => undefined, pushedTo(heardA));
    await logB.subscribe(0, (row) => rowsB.push(row), pushedTo(heardB));

    const sent: string[] = [];
    const big = "x".repeat(9000);
    const pushes: Promise<void>[] = [];
    for (let turn = 0; turn < 20; turn++) {
      // A turn's pushes, several payloads' worth, go with one commit.
      for (let i = 0; i < 50; i++) {
        const text = `t${turn}-${i}-${"y".repeat(200)}`;
        sent.push(`messi:${text}`);
        pushes.push(logA.push("a", "messi", { ev: "notice", text }));
      }
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(pushes);
    await logA.push("a", "kai", { ev: "notice", text: big });
    await eventually(() => expect(heardB).toEqual(sent));
    // The large one came through the log, as a push row; the others left no row.
    await eventually(() => expect(rowsB.map((r) => r.event.t)).toEqual(["push"]));
    expect(heardA).toEqual([]);
    const raw = new pg.Client({ connectionString: url });
    await raw.connect();
    expect(Number((await raw.query("SELECT count(*) AS n FROM cluster_events")).rows[0].n)).toBe(1);
    await raw.end();
    await close();
  }, 60_000);

  it("announces a batch's events in its notification's payload, in position order, and only its writer when they do not fit", async () => {
    const url = await server.createDatabase("cluster_log_payloads");
    const store = await PgRealmStore.open(url, { sessionIdleMs: 60_000 });
    const log = store.cluster as ClusterLog;
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    const payloads: string[] = [];
    listener.on("notification", (n) => {
      if (n.channel === "realm_cluster_events") payloads.push(n.payload ?? "");
    });
    await listener.query("LISTEN realm_cluster_events");

    const small = await Promise.all(Array.from({ length: 5 }, (_, i) => log.publish("a", { t: "gone", instance: `i${i}` })));
    const big = await Promise.all(
      Array.from({ length: 5 }, (_, i) => log.publish("a", { t: "gone", instance: `${i}${"x".repeat(3000)}` })),
    );
    await eventually(() => expect(payloads).toHaveLength(2));
    const [first, second] = payloads.map((p) => JSON.parse(p) as { i: string; e?: Array<[number, string, ClusterEvent]> });
    expect(first?.e?.map(([position, instance, event]) => [position, instance, event])).toEqual(
      small.map((position, i) => [position, "a", { t: "gone", instance: `i${i}` }]),
    );
    expect(second).toEqual({ i: first?.i });
    expect(big).toHaveLength(5);
    await listener.end();
    await store.close();
  }, 60_000);
});
