/** Private messages one connection may have handed to its client and not yet seen acknowledged. */
export const DELIVERY_LOG_ENTRIES = 4096;

import type { AckedDeliveries } from "../../services/inbox-service.ts";

/**
 * The private messages one live connection handed its client, in the order it did: a message held
 * in memory (PrivateHandOff) or one in the inbox (pushed after its commit, or shown by `inbox`).
 * An `ack` names the last one the client has; everything handed before it is settled with it.
 *
 * A held message is settled by its id. A stored one is a range end: every inbox row before it in
 * the inbox was handed to the client before it (docs/design/private-hand-off.md). Bounded: when
 * full the oldest entry is forgotten, which only means its message is stored (or kept) and the
 * client's later acks take it.
 */
export class DeliveryLog {
  #ids: string[] = [];
  #held: boolean[] = [];
  #head = 0;

  handed(id: string, held: boolean): void {
    if (this.#ids.length - this.#head >= DELIVERY_LOG_ENTRIES) this.#head++;
    this.#ids.push(id);
    this.#held.push(held);
    if (this.#head > DELIVERY_LOG_ENTRIES) this.#compact();
  }

  /** Takes the entries up to and including `upTo`; undefined if it is not here (an older or unknown id). */
  take(upTo: string): AckedDeliveries | undefined {
    const end = this.#ids.indexOf(upTo, this.#head);
    if (end === -1) return undefined;
    const held: string[] = [];
    let lastStored: string | undefined;
    for (let i = this.#head; i <= end; i++) {
      const id = this.#ids[i] as string;
      if (this.#held[i] === true) held.push(id);
      else lastStored = id;
    }
    this.#head = end + 1;
    if (this.#head === this.#ids.length) {
      this.#ids = [];
      this.#held = [];
      this.#head = 0;
    }
    return { held, lastStored };
  }

  get size(): number {
    return this.#ids.length - this.#head;
  }

  #compact(): void {
    this.#ids = this.#ids.slice(this.#head);
    this.#held = this.#held.slice(this.#head);
    this.#head = 0;
  }
}
