/**
 * At-least-once delivery bookkeeping for one destination: items wait in FIFO order, go out
 * (in flight) while a link is up, leave only when acknowledged, and all go back to "unsent", still
 * in their original order, when the link drops. Pure: the caller owns the link.
 */
export interface QueueEntry<T> {
  readonly id: string;
  readonly item: T;
  sent: boolean;
  acked: boolean;
}

export class DeliveryQueue<T> {
  readonly #entries = new Map<string, QueueEntry<T>>();
  #unsent: QueueEntry<T>[] = [];
  #head = 0;
  #inFlight = 0;

  get size(): number {
    return this.#entries.size;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  get unsentCount(): number {
    return this.#entries.size - this.#inFlight;
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  get(id: string): QueueEntry<T> | undefined {
    return this.#entries.get(id);
  }

  /** Adds an item at the back; an id already queued is ignored (returns false). */
  enqueue(id: string, item: T): boolean {
    if (this.#entries.has(id)) return false;
    const entry: QueueEntry<T> = { id, item, sent: false, acked: false };
    this.#entries.set(id, entry);
    this.#unsent.push(entry);
    return true;
  }

  /** The next unsent item, now marked in flight; undefined when none is waiting. */
  takeUnsent(): QueueEntry<T> | undefined {
    while (this.#head < this.#unsent.length) {
      const entry = this.#unsent[this.#head++] as QueueEntry<T>;
      if (entry.acked || entry.sent) continue;
      entry.sent = true;
      this.#inFlight++;
      this.#compact();
      return entry;
    }
    this.#compact();
    return undefined;
  }

  /** Removes an acknowledged item; returns it, or undefined for an unknown id. */
  ack(id: string): QueueEntry<T> | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    entry.acked = true;
    if (entry.sent) this.#inFlight--;
    return entry;
  }

  /** The link dropped: everything in flight is unsent again, in the original order. */
  requeueAll(): QueueEntry<T>[] {
    const wasInFlight: QueueEntry<T>[] = [];
    for (const entry of this.#entries.values()) {
      if (entry.sent) {
        entry.sent = false;
        wasInFlight.push(entry);
      }
    }
    this.#inFlight = 0;
    this.#unsent = [...this.#entries.values()];
    this.#head = 0;
    return wasInFlight;
  }

  /** Every queued item in order, in flight or not. */
  values(): IterableIterator<QueueEntry<T>> {
    return this.#entries.values();
  }

  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#unsent.length) {
      this.#unsent = this.#unsent.slice(this.#head);
      this.#head = 0;
    }
  }
}
