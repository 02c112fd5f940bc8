import { maskSecrets, type TapDirection, type TapLink } from "@realmchat/protocol";
import { TurnBytes } from "./turn-bytes.ts";

/** Takes the records of one turn: a tap message, UTF-8 (one whose reader is behind may leave some out). */
export interface TapSubscriber {
  take(message: Buffer, count: number): void;
}

export interface TapRecorderOptions {
  /** The recording process, as records name it: a realm's name, or `bridge-<realm>`. */
  readonly process: string;
  /** Records kept for a subscriber that comes later, whole turns at a time (the oldest are forgotten first)... */
  readonly keep?: number;
  /** ...and at most this many bytes of them. */
  readonly keepBytes?: number;
}

const DEFAULT_KEEP = 10_000;
const DEFAULT_KEEP_BYTES = 4 * 1024 * 1024;

const NO_PROCESSES: ReadonlySet<string> = new Set();

/** One turn's message, as kept. */
interface KeptTurn {
  readonly message: Buffer;
  readonly count: number;
}

/**
 * The tap of one process (docs/design/tap.md): what each connection writes, and the complete
 * frames of what it reads, recorded a write or a read at a time (so a busy connection costs one
 * record per turn, not one per frame), masked (maskSecrets), numbered, and handed to the
 * subscribers as one message per event-loop turn (docs/protocol.md, "Tap"). A write that repeats
 * the turn's previous write on the same kind of link (a group's line, written to each member) is
 * recorded as a repeat of it, without its frames; a read from a process whose tap every reader of
 * this one also reads, as an arrival, without its frames (they are in that tap). The last turns are kept, as the bytes that were
 * sent (off the heap the garbage collector copies), for subscribers that come later; a subscriber
 * that is behind misses records (seen as a gap in `seq`) rather than making this process hold more.
 */
export class TapRecorder {
  readonly process: string;
  readonly #keep: number;
  readonly #keepBytes: number;
  /** Kept turns from `#recentHead` on: `#recentCount` records, `#recentBytes` bytes. */
  #recent: KeptTurn[] = [];
  #recentHead = 0;
  #recentCount = 0;
  #recentBytes = 0;
  #seq = 0;
  /** The turn's records so far, as they will be sent. */
  readonly #pending = new TurnBytes();
  #pendingCount = 0;
  /** The turn's last write recorded with its frames, to which a repeat of it refers. */
  #lastWrite = "";
  #lastWriteLink: TapLink | undefined;
  #lastWriteSeq = 0;
  #scheduled = false;
  /** Each subscriber, and the other processes whose taps it also reads. */
  readonly #subscribers = new Map<TapSubscriber, ReadonlySet<string>>();
  /** The processes whose taps every subscriber also reads (none while there is no subscriber). */
  #readElsewhere: ReadonlySet<string> = NO_PROCESSES;
  #connections = 0;
  readonly #flush = (): void => this.flush();

  constructor(options: TapRecorderOptions) {
    this.process = options.process;
    this.#keep = options.keep ?? DEFAULT_KEEP;
    this.#keepBytes = options.keepBytes ?? DEFAULT_KEEP_BYTES;
  }

  /** A name for a new connection, unique in this process. */
  nextConnection(): string {
    return `c${++this.#connections}`;
  }

  /**
   * Records `frames` (one or more, each ending in a line end) as they passed on one connection, in
   * one direction: `route` is the UTF-8 of that direction's header fields (encodeTapRoute).
   */
  record(link: TapLink, dir: TapDirection, route: Uint8Array, frames: string): void {
    const seq = ++this.#seq;
    this.#pendingCount++;
    if (dir === "out" && link === this.#lastWriteLink && frames === this.#lastWrite) {
      this.#pending.writeHeader(seq, Date.now(), "same", this.#lastWriteSeq, route);
    } else {
      const masked = maskSecrets(link, frames, dir);
      this.#pending.writeHeader(seq, Date.now(), "chars", masked.length, route);
      this.#pending.write(masked);
      if (dir === "out") {
        this.#lastWrite = frames;
        this.#lastWriteLink = link;
        this.#lastWriteSeq = seq;
      }
    }
    this.#schedule();
  }

  /**
   * Records that `bytes` bytes of whole frames were read from another process, whose tap every
   * subscriber also reads (readElsewhere): the frames are in that tap.
   */
  recordArrival(route: Uint8Array, bytes: number): void {
    this.#pendingCount++;
    this.#pending.writeHeader(++this.#seq, Date.now(), "arrived", bytes, route);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(this.#flush);
  }

  /** Whether every subscriber also reads the tap of `process` (a realm's name or `bridge-<realm>`). */
  readElsewhere(process: string): boolean {
    return this.#readElsewhere.has(process);
  }

  /** Adds a subscriber, which first gets the turns kept; `alsoReads` names the processes whose taps it reads too. */
  subscribe(subscriber: TapSubscriber, alsoReads: ReadonlySet<string> = NO_PROCESSES): () => void {
    const kept = this.#recent.slice(this.#recentHead);
    if (kept.length > 0) subscriber.take(Buffer.concat(kept.map((turn) => turn.message)), this.#recentCount);
    this.#subscribers.set(subscriber, alsoReads);
    this.#intersect();
    return () => {
      this.#subscribers.delete(subscriber);
      this.#intersect();
    };
  }

  #intersect(): void {
    let common: Set<string> | undefined;
    for (const alsoReads of this.#subscribers.values()) {
      common = common === undefined ? new Set(alsoReads) : new Set([...common].filter((p) => alsoReads.has(p)));
    }
    this.#readElsewhere = common ?? NO_PROCESSES;
  }

  /** Hands the turn's records to every subscriber, as one message. */
  flush(): void {
    this.#scheduled = false;
    const count = this.#pendingCount;
    if (count === 0) return;
    this.#pendingCount = 0;
    this.#lastWrite = "";
    this.#lastWriteLink = undefined;
    const message = this.#pending.take();
    for (const subscriber of this.#subscribers.keys()) subscriber.take(message, count);
    this.#remember({ message, count });
  }

  #remember(turn: KeptTurn): void {
    this.#recent.push(turn);
    this.#recentCount += turn.count;
    this.#recentBytes += turn.message.length;
    while (this.#recentCount > this.#keep || this.#recentBytes > this.#keepBytes) {
      const oldest = this.#recent[this.#recentHead++] as KeptTurn;
      this.#recentCount -= oldest.count;
      this.#recentBytes -= oldest.message.length;
    }
    if (this.#recentHead > 1024 && this.#recentHead * 2 > this.#recent.length) {
      this.#recent = this.#recent.slice(this.#recentHead);
      this.#recentHead = 0;
    }
  }
}
