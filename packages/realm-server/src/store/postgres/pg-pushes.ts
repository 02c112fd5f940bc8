import type { LiveEvent } from "@realmchat/protocol";
import type { PoolClient } from "pg";
import type { PgCommitQueue } from "./pg-commit-queue.ts";

export const PUSH_CHANNEL = "realm_cluster_push";

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more; pushes are packed below this. */
const MAX_PAYLOAD_BYTES = 7900;
/** `{"i":"<uuid>","p":[` and `]}`. */
const ENVELOPE_BYTES = 60;

/** A turn's pushes, packed once: the batch that carries them may run twice (again with savepoints after a failure). */
interface TurnPushes {
  readonly items: string[];
  readonly bytes: number[];
  payloads: string[] | undefined;
  /** Resolves once the batch carrying them commits. */
  sent: Promise<void>;
}

const sendPayloads = async (db: PoolClient, payloads: readonly string[]): Promise<void> => {
  await db.query("SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p", [PUSH_CHANNEL, payloads]);
};

/**
 * Pushes between the instances of a realm (docs/design/scale-out.md, "Pushes"): a live event
 * for a user whose connections may be on another instance, carried in NOTIFY payloads sent in the
 * turn's batch, never written to a table and never read back. What a push announces (a message,
 * its delivery, a read marker) is committed before it is sent, so a lost one costs latency only.
 */
export class PgPushes {
  readonly #queue: PgCommitQueue;
  /** Whose payloads these are: an instance ignores its own (it pushed to its connections at once). */
  readonly #self: string;
  #turn: TurnPushes | undefined;

  constructor(queue: PgCommitQueue, self: string) {
    this.#queue = queue;
    this.#self = self;
  }

  /** Whether `username`'s push fits in a payload; one that does not goes in the log as a row. */
  fits(item: string): boolean {
    return Buffer.byteLength(item) + ENVELOPE_BYTES < MAX_PAYLOAD_BYTES;
  }

  /** Sends `[username, event]` (as JSON, `item`) with this turn's batch; resolves once it is committed. */
  send(item: string): Promise<void> {
    let turn = this.#turn;
    if (turn === undefined) {
      const opened: TurnPushes = { items: [], bytes: [], payloads: undefined, sent: Promise.resolve() };
      opened.sent = this.#queue.run((db) => sendPayloads(db, this.#seal(opened)), undefined);
      turn = this.#turn = opened;
    }
    turn.items.push(item);
    turn.bytes.push(Buffer.byteLength(item));
    return turn.sent;
  }

  /** The turn's pushes as payloads; pushes asked for from here on go with the next batch. */
  #seal(turn: TurnPushes): string[] {
    if (this.#turn === turn) this.#turn = undefined;
    if (turn.payloads !== undefined) return turn.payloads;
    const head = `{"i":${JSON.stringify(this.#self)},"p":[`;
    const payloads: string[] = [];
    let parts: string[] = [];
    let size = ENVELOPE_BYTES;
    for (let i = 0; i < turn.items.length; i++) {
      const bytes = turn.bytes[i] as number;
      if (parts.length > 0 && size + bytes + 1 > MAX_PAYLOAD_BYTES) {
        payloads.push(`${head}${parts.join(",")}]}`);
        parts = [];
        size = ENVELOPE_BYTES;
      }
      parts.push(turn.items[i] as string);
      size += bytes + 1;
    }
    if (parts.length > 0) payloads.push(`${head}${parts.join(",")}]}`);
    turn.payloads = payloads;
    return payloads;
  }

  /** A payload another instance sent: each of its pushes, in order (none of this instance's own). */
  received(payload: string, push: (username: string, event: LiveEvent) => void): void {
    const { i, p } = JSON.parse(payload) as { i: string; p: Array<[string, LiveEvent]> };
    if (i === this.#self) return;
    for (const [username, event] of p) push(username, event);
  }
}
