import type { Flushable, FlushScheduler } from "./flush-scheduler.ts";

/** Where coalesced text goes: a socket, in practice. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Collects everything written to one sink during an event-loop turn and hands it over as a
 * single write when the scheduler flushes: one syscall per socket per turn, however many
 * replies, group lines or frames the turn produced.
 */
export class CoalescingWriter implements Flushable {
  readonly #sink: TextSink;
  readonly #scheduler: FlushScheduler;
  readonly #afterFlush: (() => void) | undefined;
  #out = "";
  #marked = false;
  #closed = false;

  constructor(sink: TextSink, scheduler: FlushScheduler, afterFlush?: () => void) {
    this.#sink = sink;
    this.#scheduler = scheduler;
    this.#afterFlush = afterFlush;
  }

  get pendingLength(): number {
    return this.#out.length;
  }

  write(text: string): void {
    if (this.#closed) return;
    this.#out += text;
    if (!this.#marked) {
      this.#marked = true;
      this.#scheduler.mark(this);
    }
  }

  /** Writes what is pending now (also called by the scheduler). */
  flush(): void {
    this.#marked = false;
    if (this.#closed || this.#out.length === 0) return;
    const out = this.#out;
    this.#out = "";
    this.#sink.write(out);
    this.#afterFlush?.();
  }

  /** Flushes, then drops anything written later. */
  close(): void {
    this.flush();
    this.#closed = true;
  }

  /** The sink is gone: drop what is pending and anything written later. */
  discard(): void {
    this.#out = "";
    this.#closed = true;
  }
}
