/**
 * Remembers the most recent `capacity` ids (with a value, such as the answer already given) so
 * that a frame delivered twice is recognised. Oldest ids are forgotten first.
 *
 * The order is kept in a ring of ids beside the map, not by the map's own insertion order: taking
 * the oldest key from a `Map` walks over every entry deleted before it, and in a full window that
 * made each new id cost about 23 µs instead of 0.5 (V8 reclaims those places only when it
 * rehashes).
 */
export class DedupWindow<V = true> {
  readonly capacity: number;
  readonly #seen = new Map<string, V>();
  /** Ids in the order they were remembered; once full, `#oldest` is the next to be forgotten. */
  readonly #ring: string[] = [];
  #oldest = 0;

  constructor(capacity = 100_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
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
    if (this.#ring.length < this.capacity) {
      this.#ring.push(id);
      return true;
    }
    this.#seen.delete(this.#ring[this.#oldest] as string);
    this.#ring[this.#oldest] = id;
    this.#oldest = this.#oldest + 1 === this.capacity ? 0 : this.#oldest + 1;
    return true;
  }

  /** Records `id` with `value`; an id already remembered keeps its place and takes the new value. */
  set(id: string, value: V): void {
    if (this.#seen.has(id)) this.#seen.set(id, value);
    else this.remember(id, value);
  }
}
