import pg from "pg";
import type { LiveEvent } from "@realmchat/protocol";
import type { LiveEventLog, LiveEventRow } from "../realm-store.ts";
import type { PgCommitQueue } from "./pg-commit-queue.ts";

const CHANNEL = "realm_live_events";
/** Read again this often even without a notification: a lost one costs this much latency, never an event. */
const POLL_MS = 1000;
/** Events older than this are of no use to anyone (an instance that was away reads the inbox). */
const KEEP_MS = 10 * 60 * 1000;


const insertEvent = async (db: pg.PoolClient, e: { instance: string; username: string; event: LiveEvent; at: number }): Promise<void> => {
  await db.query("INSERT INTO live_events (instance, username, event, at) VALUES ($1, $2, $3, $4)", [e.instance, e.username, JSON.stringify(e.event), e.at]);
};
const purgeEvents = async (db: pg.PoolClient, before: number): Promise<void> => {
  await db.query("DELETE FROM live_events WHERE at < $1", [before]);
};

/**
 * Live events between the instances of one realm (docs/design/scale-out.md): an instance writes
 * each event with an increasing position, and one NOTIFY per committed batch wakes the others,
 * which read everything after the last position they saw.
 */
export class PgLiveEvents implements LiveEventLog {
  readonly #queue: PgCommitQueue;
  readonly #url: string;
  #listener: pg.Client | undefined;
  #poll: NodeJS.Timeout | undefined;
  #last = 0;
  #reading = false;
  #again = false;

  constructor(queue: PgCommitQueue, url: string) {
    this.#queue = queue;
    this.#url = url;
  }

  /** Tells the other instances; resolves once committed. */
  publish(instance: string, username: string, event: LiveEvent): Promise<void> {
    this.#queue.notifyOnCommit(CHANNEL);
    return this.#queue.run(insertEvent, { instance, username, event, at: Date.now() });
  }

  /** Calls `handler` with every event written from now on, in position order. */
  async subscribe(handler: (row: LiveEventRow) => void): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    await client.connect();
    this.#listener = client;
    this.#last = Number((await client.query("SELECT coalesce(max(position), 0) AS p FROM live_events")).rows[0]?.p ?? 0);
    const read = (): void => void this.#read(client, handler);
    client.on("notification", read);
    // A listener connection that fails is replaced by polling alone until the next start.
    client.on("error", () => undefined);
    await client.query(`LISTEN ${CHANNEL}`);
    this.#poll = setInterval(() => {
      read();
      void this.#queue.run(purgeEvents, Date.now() - KEEP_MS).catch(() => undefined);
    }, POLL_MS);
    this.#poll.unref();
  }

  async #read(client: pg.Client, handler: (row: LiveEventRow) => void): Promise<void> {
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = true;
    try {
      do {
        this.#again = false;
        const rows = (await client.query("SELECT position, instance, username, event FROM live_events WHERE position > $1 ORDER BY position LIMIT 1000", [this.#last])).rows as Array<Record<string, unknown>>;
        for (const r of rows) {
          this.#last = Number(r.position);
          handler({ instance: String(r.instance), username: String(r.username), event: JSON.parse(String(r.event)) as LiveEvent });
        }
        if (rows.length === 1000) this.#again = true;
      } while (this.#again);
    } catch {
      // The next poll tries again from the same position.
    } finally {
      this.#reading = false;
    }
  }

  async close(): Promise<void> {
    if (this.#poll !== undefined) clearInterval(this.#poll);
    await this.#listener?.end().catch(() => undefined);
  }
}
