const FREE = 0;
const USED = 1;
const COOLING = 2;

/**
 * Hands out per-miner slots of one upstream: the CryptoNote nonce byte or the Stratum V1
 * extranonce prefix. A released slot cools until {@link SlotAllocator.rotate} (called on every
 * new upstream job), because its previous owner's shares for the current job may still arrive
 * and must not be confused with a new owner's. Typed arrays, O(1) acquire and release.
 */
export class SlotAllocator {
  readonly #size: number;
  readonly #state: Uint8Array;
  /** Stack of free slots; popped from the end. */
  readonly #free: Uint32Array;
  #freeCount: number;
  readonly #cooling: Uint32Array;
  #coolingCount = 0;

  /** @param size Number of slots: 256 for one byte, 65,536 for two. */
  constructor(size: number) {
    if (!Number.isInteger(size) || size < 1 || size > 65_536) {
      throw new RangeError(`slot count must be an integer from 1 to 65536, got ${size}`);
    }
    this.#size = size;
    this.#state = new Uint8Array(size);
    this.#free = new Uint32Array(size);
    this.#cooling = new Uint32Array(size);
    this.#freeCount = size;
    this.#fillFree();
  }

  /** A free slot, now owned by the caller; `undefined` when none is free (open another upstream). */
  acquire(): number | undefined {
    if (this.#freeCount === 0) return undefined;
    const slot = this.#free[--this.#freeCount] as number;
    this.#state[slot] = USED;
    return slot;
  }

  /** Gives a slot back; it becomes free at the next rotate. Releasing a slot not in use is a no-op. */
  release(slot: number): void {
    if (this.#state[slot] !== USED) return;
    this.#state[slot] = COOLING;
    this.#cooling[this.#coolingCount++] = slot;
  }

  /** A new job started: slots released before it are free again. O(cooling). */
  rotate(): void {
    for (let i = 0; i < this.#coolingCount; i++) {
      const slot = this.#cooling[i] as number;
      this.#state[slot] = FREE;
      this.#free[this.#freeCount++] = slot;
    }
    this.#coolingCount = 0;
  }

  /** Frees every slot at once, for a fresh upstream session where no old share can arrive. */
  reset(): void {
    this.#state.fill(FREE);
    this.#coolingCount = 0;
    this.#freeCount = this.#size;
    this.#fillFree();
  }

  /** True if `slot` is held by a miner. */
  isUsed(slot: number): boolean {
    return this.#state[slot] === USED;
  }

  /** Slots available to {@link SlotAllocator.acquire} now. */
  get free(): number {
    return this.#freeCount;
  }

  /** Slots held by miners. */
  get used(): number {
    return this.#size - this.#freeCount - this.#coolingCount;
  }

  /** Released slots waiting for the next job. */
  get cooling(): number {
    return this.#coolingCount;
  }

  /** Total slots. */
  get size(): number {
    return this.#size;
  }

  // Reverse order so the first acquires hand out 0, 1, 2… which keeps logs readable.
  #fillFree(): void {
    for (let i = 0; i < this.#size; i++) this.#free[i] = this.#size - 1 - i;
  }
}
