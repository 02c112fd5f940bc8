import { v5 as uuidv5 } from "uuid";

const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let used = POOL_BYTES;

const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const HEX3 = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, "0"));

/** The millisecond of the last id, its text (with the version digit), and the counter within it. */
let lastMs = -1;
let prefix = "";
let counter = 0;

function startMillisecond(ms: number): void {
  lastMs = ms;
  const hex = ms.toString(16).padStart(12, "0");
  prefix = `${hex.slice(0, 8)}-${hex.slice(8)}-7`;
  // A random start leaves room to count up within the millisecond (RFC 9562, 6.2, method 1).
  counter = Math.floor(Math.random() * 0x800);
}

/**
 * A new id for a message or an inter-realm frame: a UUIDv7 (RFC 9562), whose leading timestamp
 * makes the stores that index ids (the relay ledger, the outbox, the bridges' queues) insert next
 * to the last one instead of on a random page of their b-tree. Within a millisecond the 12 bits
 * after the version count up, so one process's ids sort in the order they were made; the last 62
 * bits are random, cut from a pool filled 4 KiB at a time (one system call per 512 ids). Session
 * tokens stay random (v4): an id is not a secret, a token is.
 */
export function newMessageId(): string {
  const now = Date.now();
  if (now > lastMs) startMillisecond(now);
  else if (++counter > 0xfff) startMillisecond(lastMs + 1);
  if (used + 8 > POOL_BYTES) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  const i = used;
  used += 8;
  return (
    prefix +
    HEX3[counter] +
    "-" +
    HEX2[((pool[i] as number) & 0x3f) | 0x80] +
    HEX2[pool[i + 1] as number] +
    "-" +
    HEX2[pool[i + 2] as number] +
    HEX2[pool[i + 3] as number] +
    HEX2[pool[i + 4] as number] +
    HEX2[pool[i + 5] as number] +
    HEX2[pool[i + 6] as number] +
    HEX2[pool[i + 7] as number]
  );
}

/** A group event's id, given by the group's home: made as a message id is, so unique and in the order made. */
export function newEventId(): string {
  return newMessageId();
}

/** The namespace of ids made from a sender's client id (RFC 9562, 5.5). */
const CLIENT_ID_NAMESPACE = "5b0c3f4e-8a39-4f43-9d4c-6c1f0e2a7d11";

/**
 * The id of a private message: made from the sender and its client id when it gave one, so that
 * the same send made again (after a crash of the realm, which forgets the client ids it saw) is
 * the same message to every holder that knows it; a new UUIDv7 otherwise.
 */
export function messageIdFor(sender: string, cid: string | undefined): string {
  return cid === undefined ? newMessageId() : uuidv5(`${sender}\n${cid}`, CLIENT_ID_NAMESPACE);
}
