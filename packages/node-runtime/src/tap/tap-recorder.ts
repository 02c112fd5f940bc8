import { encodeTapRecord, maskSecrets, type TapDirection, type TapLink } from "@realmchat/protocol";

/** Takes the records of one turn, in the tap's wire format (one whose reader is behind may leave some out). */
export interface TapSubscriber {
  take(records: string, count: number): void;
}

export interface TapRecorderOptions {
  /** The recording process, as records name it: a realm's name, or `bridge-<realm>`. */
  readonly process: string;
  /** Records kept for a subscriber that comes later (the oldest are forgotten first)... */
  readonly keep?: number;
  /** ...and at most this many characters of them. */
  readonly keepChars?: number;
}

const DEFAULT_KEEP = 10_000;
const DEFAULT_KEEP_CHARS = 4 * 1024 * 1024;

/**
 * The tap of one process (docs/design/tap.md): what each connection writes, and the complete
 * frames of what it reads, recorded a write or a read at a time (so a busy connection costs one
 * record per turn, not one per frame), masked (maskSecrets), numbered, and handed to the
 * subscribers as one message per event-loop turn (docs/protocol.md, "Tap"). The last records are kept for
 * subscribers that come later; a subscriber that is behind misses records (seen as a gap in `seq`)
 * rather than making this process hold more.
 */
export class TapRecorder {
  readonly process: string;
  readonly #keep: number;
  readonly #keepChars: number;
  /** Kept records from `#recentHead` on, `#recentChars` characters in all. */
  #recent: string[] = [];
  #recentHead = 0;
  #recentChars = 0;
  #seq = 0;
  #pending: string[] = [];
  #scheduled = false;
  readonly #subscribers = new Set<TapSubscriber>();
  #connections = 0;
  readonly #flush = (): void => this.flush();

  constructor(options: TapRecorderOptions) {
    this.process = options.process;
    this.#keep = options.keep ?? DEFAULT_KEEP;
    this.#keepChars = options.keepChars ?? DEFAULT_KEEP_CHARS;
  }

  /** A name for a new connection, unique in this process. */
  nextConnection(): string {
    return `c${++this.#connections}`;
  }

  /**
   * Records `frames` (one or more, each ending in a line end) as they passed on one connection, in
   * one direction: `route` is that direction's header fields (encodeTapRoute).
   */
  record(link: TapLink, dir: TapDirection, route: string, frames: string): void {
    this.#pending.push(encodeTapRecord(++this.#seq, Date.now(), route, maskSecrets(link, frames, dir)));
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** Adds a subscriber, which first gets the records kept. */
  subscribe(subscriber: TapSubscriber): () => void {
    const kept = this.#recent.slice(this.#recentHead);
    if (kept.length > 0) subscriber.take(kept.join(""), kept.length);
    this.#subscribers.add(subscriber);
    return () => this.#subscribers.delete(subscriber);
  }

  /** Hands the turn's records to every subscriber. */
  flush(): void {
    this.#scheduled = false;
    const records = this.#pending;
    if (records.length === 0) return;
    this.#pending = [];
    const text = records.join("");
    for (const subscriber of this.#subscribers) subscriber.take(text, records.length);
    this.#remember(records, text.length);
  }

  #remember(records: string[], chars: number): void {
    this.#recent.push(...records);
    this.#recentChars += chars;
    while (this.#recent.length - this.#recentHead > this.#keep || this.#recentChars > this.#keepChars) {
      this.#recentChars -= (this.#recent[this.#recentHead] as string).length;
      this.#recentHead++;
    }
    if (this.#recentHead > this.#keep) {
      this.#recent = this.#recent.slice(this.#recentHead);
      this.#recentHead = 0;
    }
  }
}
