/**
 * Remembers the most recent `capacity` ids (with a value, such as the answer already given) so
 * that a frame delivered twice is recognised. Oldest ids are forgotten first.
 */
export class DedupWindow<V = true> {
  readonly capacity: number;
  readonly #seen = new Map<string, V>();

  constructor(capacity = 100_000) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#seen.size;
  }

  get(id: string): V | undefined {
    return this.#seen.get(id);
  }

  has(id: string): boolean {
    return this.#seen.has(id);
  }

  /** Records `id`; returns false if it was already there (a duplicate). */
  remember(id: string, value: V): boolean {
    if (this.#seen.has(id)) return false;
    this.#seen.set(id, value);
    if (this.#seen.size > this.capacity) {
      const oldest = this.#seen.keys().next();
      if (oldest.done !== true) this.#seen.delete(oldest.value);
    }
    return true;
  }

  set(id: string, value: V): void {
    this.#seen.delete(id);
    this.remember(id, value);
  }
}
