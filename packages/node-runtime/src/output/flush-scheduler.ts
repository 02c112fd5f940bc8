/** Something with buffered output to write once per event-loop turn. */
export interface Flushable {
  flush(): void;
}

/**
 * Coalesces output: whatever a connection is given during one event-loop turn leaves in a
 * single socket write, in the check phase after all of that turn's I/O callbacks have run.
 */
export class FlushScheduler {
  #dirty: Flushable[] = [];
  #spare: Flushable[] = [];
  #scheduled = false;
  readonly #run = (): void => {
    this.#scheduled = false;
    const batch = this.#dirty;
    this.#dirty = this.#spare;
    for (let i = 0; i < batch.length; i++) (batch[i] as Flushable).flush();
    batch.length = 0;
    this.#spare = batch;
  };

  mark(target: Flushable): void {
    this.#dirty.push(target);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#run);
    }
  }
}
