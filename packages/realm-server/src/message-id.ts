import { v7 as uuidv7 } from "uuid";

const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let used = POOL_BYTES;

/** Random bytes for one id, cut from a pool filled 4 KiB at a time (one system call per 256 ids, not one per id). */
function pooledRandom(): Uint8Array {
  if (used + 16 > POOL_BYTES) {
    crypto.getRandomValues(pool);
    used = 0;
  }
  const bytes = pool.subarray(used, used + 16);
  used += 16;
  return bytes;
}

const OPTIONS = { rng: pooledRandom };

/**
 * A new id for a message or an inter-realm frame: a UUIDv7, whose leading timestamp makes the
 * stores that index ids (the relay ledger, the outbox, the bridges' queues) insert next to the
 * last one instead of on a random page of their b-tree. Session tokens stay random (v4): an id
 * is not a secret, a token is.
 */
export function newMessageId(): string {
  return uuidv7(OPTIONS);
}
