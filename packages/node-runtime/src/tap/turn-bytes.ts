import { TAP_HEADER_BYTES_BESIDES_ROUTE, writeTapHeader, type TapLengthField } from "@realmchat/protocol";

/** What the buffer starts at, and the most it keeps between turns (a larger one is let go after its turn). */
const INITIAL_BYTES = 64 * 1024;
const RETAINED_BYTES = 1024 * 1024;
/** UTF-8 takes at most three bytes for one UTF-16 code unit (a surrogate pair: four for two). */
const MAX_BYTES_PER_CHAR = 3;

/**
 * One turn's tap message as it is recorded: each piece encoded as UTF-8 into one buffer straight
 * away, kept from turn to turn, so a record costs no string of its own and the turn no join of
 * them (measured at half the cost per byte of joining the records and encoding the result, and
 * less for the collector to copy).
 */
export class TurnBytes {
  #buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
  #used = 0;

  get length(): number {
    return this.#used;
  }

  write(text: string): void {
    const most = text.length * MAX_BYTES_PER_CHAR;
    if (this.#buffer.length - this.#used < most) this.#grow(most);
    this.#used += this.#buffer.write(text, this.#used);
  }

  /** Writes a record's header (docs/protocol.md, "Tap"); `route` is the UTF-8 of its route fields. */
  writeHeader(seq: number, ts: number, field: TapLengthField, n: number, route: Uint8Array): void {
    const most = TAP_HEADER_BYTES_BESIDES_ROUTE + route.length;
    if (this.#buffer.length - this.#used < most) this.#grow(most);
    this.#used = writeTapHeader(this.#buffer, this.#used, seq, ts, field, n, route);
  }

  /** The turn's bytes, in a buffer of their own (they are sent and kept), and an empty one for the next turn. */
  take(): Buffer {
    const message = Buffer.allocUnsafeSlow(this.#used);
    this.#buffer.copy(message, 0, 0, this.#used);
    this.#used = 0;
    if (this.#buffer.length > RETAINED_BYTES) this.#buffer = Buffer.allocUnsafeSlow(INITIAL_BYTES);
    return message;
  }

  #grow(most: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.#buffer.length * 2, this.#used + most));
    this.#buffer.copy(next, 0, 0, this.#used);
    this.#buffer = next;
  }
}
