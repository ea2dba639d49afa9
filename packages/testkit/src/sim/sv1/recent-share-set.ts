/**
 * The shares seen for one job, for duplicate detection, bounded: two generations of at most
 * `capacity / 2` keys each. When the newer one fills up the older one is dropped, so the
 * newest `capacity / 2` to `capacity` shares are always remembered and memory never grows past
 * `capacity` keys. (Deleting the oldest key of one `Set` one at a time would leave holes that
 * make each eviction slower.)
 */
export class RecentShareSet {
  readonly #half: number;
  #newer = new Set<string>();
  #older = new Set<string>();

  constructor(capacity: number) {
    this.#half = Math.max(1, Math.floor(capacity / 2));
  }

  has(key: string): boolean {
    return this.#newer.has(key) || this.#older.has(key);
  }

  add(key: string): void {
    if (this.#newer.size >= this.#half) {
      this.#older = this.#newer;
      this.#newer = new Set();
    }
    this.#newer.add(key);
  }

  get size(): number {
    return this.#newer.size + this.#older.size;
  }
}
