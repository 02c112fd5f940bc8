import type { Flushable, FlushScheduler } from "./flush-scheduler.ts";

/** Where coalesced text goes: a socket, in practice. `done` runs once the text is handed on (or failed). */
export interface TextSink {
  write(text: string, done?: (error?: Error | null) => void): unknown;
}

/** Told whether text written with `writeThen` reached the sink's other side (the kernel, for a socket). */
export type WrittenCallback = (handedOver: boolean) => void;

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
  /** Made only by a `writeThen` (rare): an idle connection holds no array for it. */
  #waiting: WrittenCallback[] | undefined;
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

  /** Writes `text` like `write`, and tells `written` once the sink has handed it on, or could not. */
  writeThen(text: string, written: WrittenCallback): void {
    if (this.#closed) {
      written(false);
      return;
    }
    (this.#waiting ??= []).push(written);
    this.write(text);
  }

  /** Writes what is pending now (also called by the scheduler). */
  flush(): void {
    this.#marked = false;
    if (this.#closed || this.#out.length === 0) return;
    const out = this.#out;
    this.#out = "";
    const waiting = this.#waiting;
    if (waiting === undefined) this.#sink.write(out);
    else {
      this.#waiting = undefined;
      // Only a flush that carries a `writeThen` pays for a callback.
      this.#sink.write(out, (error) => {
        for (const written of waiting) written(error === undefined || error === null);
      });
    }
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
    const waiting = this.#waiting;
    this.#waiting = undefined;
    for (const written of waiting ?? []) written(false);
  }
}
