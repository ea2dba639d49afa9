/**
 * A fixed-capacity ring that keeps the newest `capacity` items.
 *
 * The backing array is allocated once, so memory is bounded by construction: a long-running
 * server that never reads its history cannot grow it, and pushing never shifts or copies.
 */
export class BoundedRing<T> {
  readonly #items: (T | undefined)[];
  /** Index the next push writes to; also the oldest item once the ring is full. */
  #head = 0;
  #size = 0;

  /** @param capacity the most items kept; a positive integer. */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring capacity must be a positive integer, got ${String(capacity)}`);
    }
    this.#items = new Array<T | undefined>(capacity).fill(undefined);
  }

  /** The most items the ring keeps. */
  get capacity(): number {
    return this.#items.length;
  }

  /** How many items the ring holds now (at most {@link capacity}). */
  get size(): number {
    return this.#size;
  }

  /** Adds an item, overwriting the oldest one once the ring is full. */
  push(item: T): void {
    this.#items[this.#head] = item;
    this.#head = (this.#head + 1) % this.#items.length;
    if (this.#size < this.#items.length) this.#size += 1;
  }

  /** The newest item, or `undefined` when the ring is empty. */
  newest(): T | undefined {
    if (this.#size === 0) return undefined;
    return this.#items[(this.#head - 1 + this.#items.length) % this.#items.length];
  }

  /** A copy of the items, oldest first; callers may keep or mutate it freely. */
  toArray(): T[] {
    const capacity = this.#items.length;
    const start = (this.#head - this.#size + capacity) % capacity;
    const out: T[] = [];
    for (let i = 0; i < this.#size; i += 1) {
      out.push(this.#items[(start + i) % capacity] as T);
    }
    return out;
  }
}
