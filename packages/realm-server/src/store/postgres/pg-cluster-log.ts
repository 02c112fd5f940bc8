import { describeError, handled, type Logger } from "@realmchat/node-runtime";
import { randomUUID } from "node:crypto";
import pg from "pg";
import type { LiveEvent } from "@realmchat/protocol";
import type { ClusterEvent, ClusterLog, ClusterRow, GroupOnlineRow } from "../cluster-log.ts";
import { PgPushes, PUSH_CHANNEL } from "./pg-pushes.ts";
import type { PgCommitQueue } from "./pg-commit-queue.ts";
import * as ops from "./pg-cluster-operations.ts";
import { CLUSTER_CHANNEL } from "./pg-cluster-operations.ts";

/** Read again this often even without a notification: a lost one costs this much latency, never an event. */
const POLL_MS = 1000;
/** Events older than this are of no use to anyone (an instance away that long has been declared gone). */
const KEEP_MS = 10 * 60 * 1000;
/** Rows read at once; more are read right after. */
const PAGE = 1000;

interface Waiter {
  readonly position: number;
  readonly resolve: () => void;
}

/**
 * The instances' shared log on PostgreSQL (docs/design/scale-out.md): events are written with
 * increasing positions, one NOTIFY per committed batch wakes the other instances, and each reads
 * everything after the last position it saw (and polls, so a lost notification costs latency).
 */
export class PgClusterLog implements ClusterLog {
  readonly #queue: PgCommitQueue;
  readonly #url: string;
  readonly #logger: Logger;
  /** Says which notifications this log caused: it reads its own events without being woken (#seeOwn, reap). */
  readonly #self = randomUUID();
  #listener: pg.Client | undefined;
  #poll: NodeJS.Timeout | undefined;
  #handler: ((row: ClusterRow) => void) | undefined;
  readonly #pushes: PgPushes;
  #last = 0;
  #reading = false;
  #again = false;
  #closed = false;
  /** Callers of readThrough, waiting for a position. */
  #waiters: Waiter[] = [];
  /** The store's own reader of the log (its caches), told each event before the subscriber is. */
  readonly #storeSees: (event: ClusterEvent) => void;

  constructor(queue: PgCommitQueue, url: string, logger: Logger, storeSees: (event: ClusterEvent) => void = () => undefined) {
    this.#queue = queue;
    this.#url = url;
    this.#logger = logger;
    this.#storeSees = storeSees;
    this.#pushes = new PgPushes(queue, this.#self);
  }

  push(instance: string, username: string, event: LiveEvent): Promise<void> {
    const item = JSON.stringify([username, event]);
    if (this.#pushes.fits(item)) return this.#pushes.send(item);
    return this.publish(instance, { t: "push", username, event }).then(() => undefined);
  }

  publish(instance: string, event: ClusterEvent, keepHistory = 0): Promise<number> {
    return this.#queue.run(ops.publishEvent, { instance, event, at: Date.now(), keepHistory, self: this.#self }).then((position) => {
      this.#seeOwn(position, instance, event);
      return position;
    });
  }

  /**
   * Another instance committed events: those it announced with their notification are handled
   * from it while they follow the last position seen (notifications come in commit order, which
   * is position order); a gap, or a notification without its events, is read from the table.
   */
  #announced(payload: string): void {
    if (this.#handler === undefined || this.#closed) return;
    let announced: { i?: string; e?: Array<[number, string, ClusterEvent]> };
    try {
      announced = JSON.parse(payload) as typeof announced;
    } catch {
      // Not this version's announcement (an older instance's, during an upgrade): read what it wrote.
      this.#read();
      return;
    }
    const { i, e } = announced;
    if (i === this.#self) return;
    if (e === undefined) {
      this.#read();
      return;
    }
    for (const [position, instance, event] of e) if (position > this.#last && !this.#follow(position, instance, event)) return;
    this.#wake();
  }

  /** Handles an event known without reading it, if it comes right after the last seen; else reads the table (false). */
  #follow(position: number, instance: string, event: ClusterEvent): boolean {
    if (position !== this.#last + 1) {
      this.#read();
      return false;
    }
    this.#apply(position, instance, event);
    return true;
  }

  #apply(position: number, instance: string, event: ClusterEvent): void {
    this.#last = position;
    this.#storeSees(event);
    (this.#handler as (row: ClusterRow) => void)({ position, instance, event });
  }

  /**
   * An event this instance wrote, right after every position before it was read: it is handled
   * from memory, not read back (a batch's events resolve in position order, so a turn's lines
   * follow each other this way). Otherwise it is read, as every other event; this instance's own
   * notifications wake nobody here.
   */
  #seeOwn(position: number, instance: string, event: ClusterEvent): void {
    if (this.#handler === undefined || this.#closed) return;
    if (this.#follow(position, instance, event)) this.#wake();
  }

  snapshot(): Promise<{ position: number; online: GroupOnlineRow[] }> {
    return this.#queue.run(ops.clusterSnapshot, undefined);
  }

  heartbeat(instance: string, now: number): Promise<void> {
    return this.#queue.run(ops.heartbeat, { instance, now });
  }

  leave(instance: string): Promise<void> {
    return this.#queue.run(ops.leaveCluster, instance);
  }

  reap(before: number, keepHistory: number, reaper: string): Promise<string[]> {
    this.#queue.notifyOnCommit(CLUSTER_CHANNEL, JSON.stringify({ i: this.#self }));
    return this.#queue.run(ops.reapInstances, { reaper, before, now: Date.now(), keepHistory }).then((gone) => {
      if (gone.length > 0) this.#read();
      return gone;
    });
  }

  async subscribe(after: number, handler: (row: ClusterRow) => void, pushed: (username: string, event: LiveEvent) => void): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    await client.connect();
    this.#listener = client;
    this.#last = after;
    this.#handler = handler;
    client.on("notification", (notice) => {
      if (notice.channel === PUSH_CHANNEL) this.#pushes.received(notice.payload ?? "", pushed);
      else this.#announced(notice.payload ?? "{}");
    });
    client.on("error", (err) => this.#logger.error("the cluster log's connection failed", { error: describeError(err) }));
    await client.query(`LISTEN ${CLUSTER_CHANNEL}; LISTEN ${PUSH_CHANNEL}`);
    this.#poll = setInterval(() => {
      this.#read();
      this.#queue.run(ops.purgeEvents, Date.now() - KEEP_MS).catch(this.#purgeFailed);
    }, POLL_MS);
    this.#poll.unref();
    this.#read();
  }

  readThrough(position: number): Promise<void> {
    if (position <= this.#last || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#waiters.push({ position, resolve });
      this.#read();
    });
  }

  #read(): void {
    const client = this.#listener;
    if (client === undefined || this.#closed) return;
    if (this.#reading) {
      this.#again = true;
      return;
    }
    this.#reading = true;
    handled(this.#readAll(client), this.#readFailed);
  }

  readonly #readFailed = (err: unknown): void => {
    this.#logger.warn("reading the cluster log failed; read again at the next notice or poll", { error: describeError(err) });
  };

  readonly #purgeFailed = (err: unknown): void => {
    this.#logger.warn("purging old cluster events failed; tried again at the next poll", { error: describeError(err) });
  };

  async #readAll(client: pg.Client): Promise<void> {
    try {
      do {
        this.#again = false;
        const rows = (
          await client.query("SELECT position, instance, body FROM cluster_events WHERE position > $1 ORDER BY position LIMIT $2", [
            this.#last,
            PAGE,
          ])
        ).rows as Array<Record<string, unknown>>;
        for (const r of rows) {
          const position = Number(r.position);
          // Seen already: handled from memory or from its notification while this read was on its way.
          if (position <= this.#last) continue;
          this.#apply(position, String(r.instance), JSON.parse(String(r.body)) as ClusterEvent);
        }
        this.#wake();
        if (rows.length === PAGE) this.#again = true;
      } while (this.#again && !this.#closed);
    } finally {
      // The next notification or poll reads again from the last position seen.
      this.#reading = false;
    }
  }

  #wake(): void {
    if (this.#waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.#waiters) {
      if (w.position <= this.#last) w.resolve();
      else still.push(w);
    }
    this.#waiters = still;
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#poll !== undefined) clearInterval(this.#poll);
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
    await this.#listener
      ?.end()
      .catch((err: unknown) => this.#logger.info("the cluster log's connection closed with an error", { error: describeError(err) }));
  }
}
