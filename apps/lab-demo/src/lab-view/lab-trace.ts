import type { TapEvent } from "@realmchat/protocol";

/** One frame as the lab page gets it: a tap event with its place in the whole trace. */
export interface LabEvent extends TapEvent {
  readonly n: number;
}

/** Frames the lab keeps for a page that opens later; past this, the oldest tenth is forgotten. */
const MAX_EVENTS = 100_000;

/**
 * Every frame the lab's taps reported, numbered in the order they came, for the pages that watch
 * (the whole trace for one that opens, then each turn's new frames).
 */
export class LabTrace {
  #events: LabEvent[] = [];
  #next = 0;
  #fresh: LabEvent[] = [];
  #scheduled = false;
  readonly #onFresh: (events: readonly LabEvent[]) => void;
  readonly #publish = (): void => {
    this.#scheduled = false;
    const fresh = this.#fresh;
    this.#fresh = [];
    if (fresh.length > 0) this.#onFresh(fresh);
  };

  constructor(onFresh: (events: readonly LabEvent[]) => void) {
    this.#onFresh = onFresh;
  }

  add(events: readonly TapEvent[]): void {
    for (const e of events) {
      const event = { ...e, n: this.#next++ };
      this.#events.push(event);
      this.#fresh.push(event);
    }
    if (this.#events.length > MAX_EVENTS) this.#events = this.#events.slice(MAX_EVENTS / 10);
    if (!this.#scheduled && this.#fresh.length > 0) {
      this.#scheduled = true;
      setImmediate(this.#publish);
    }
  }

  get all(): readonly LabEvent[] {
    return this.#events;
  }
}
