/** Samples taken out of a {@link SampleQueue}, column by column, oldest first. */
export interface SampleBatch {
  readonly length: number;
  readonly minerIds: readonly string[];
  readonly times: Float64Array;
  /** H/s; `NaN` when the sample had none. */
  readonly hashrates: Float64Array;
  /** Shares since the previous sample; `NaN` when unknown. */
  readonly accepted: Float64Array;
  readonly rejected: Float64Array;
}

/**
 * A fixed-capacity ring of raw samples stored column by column in preallocated typed arrays:
 * memory is bounded by construction, and pushing allocates nothing. When full, pushing
 * overwrites the oldest row — a stalled disk loses old samples, never memory.
 */
export class SampleQueue {
  /** Maximum rows held. */
  readonly capacity: number;
  readonly #ids: (string | undefined)[];
  readonly #times: Float64Array;
  readonly #hashrates: Float64Array;
  readonly #accepted: Float64Array;
  readonly #rejected: Float64Array;
  #head = 0;
  #size = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError('SampleQueue capacity must be a positive integer');
    }
    this.capacity = capacity;
    this.#ids = new Array<string | undefined>(capacity).fill(undefined);
    this.#times = new Float64Array(capacity);
    this.#hashrates = new Float64Array(capacity);
    this.#accepted = new Float64Array(capacity);
    this.#rejected = new Float64Array(capacity);
  }

  /** Rows queued. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends a row. Returns `false` when the queue was full and the oldest row was dropped to
   * make room (the caller counts drops).
   */
  push(
    minerId: string,
    time: number,
    hashrate: number,
    accepted: number,
    rejected: number,
  ): boolean {
    let kept = true;
    if (this.#size === this.capacity) {
      this.#head = (this.#head + 1) % this.capacity;
      this.#size -= 1;
      kept = false;
    }
    const at = (this.#head + this.#size) % this.capacity;
    this.#ids[at] = minerId;
    this.#times[at] = time;
    this.#hashrates[at] = hashrate;
    this.#accepted[at] = accepted;
    this.#rejected[at] = rejected;
    this.#size += 1;
    return kept;
  }

  /** Removes and returns up to `max` of the oldest rows. */
  take(max: number): SampleBatch {
    const length = Math.min(max, this.#size);
    const minerIds = new Array<string>(length);
    const times = new Float64Array(length);
    const hashrates = new Float64Array(length);
    const accepted = new Float64Array(length);
    const rejected = new Float64Array(length);
    for (let i = 0; i < length; i += 1) {
      const at = (this.#head + i) % this.capacity;
      minerIds[i] = this.#ids[at] as string;
      this.#ids[at] = undefined;
      times[i] = this.#times[at] as number;
      hashrates[i] = this.#hashrates[at] as number;
      accepted[i] = this.#accepted[at] as number;
      rejected[i] = this.#rejected[at] as number;
    }
    this.#head = (this.#head + length) % this.capacity;
    this.#size -= length;
    return { length, minerIds, times, hashrates, accepted, rejected };
  }

  /**
   * Puts a batch that could not be written back in front of the queue (it is older than
   * everything queued since). Rows that no longer fit — the batch's oldest — are dropped;
   * returns how many.
   */
  putBack(batch: SampleBatch): number {
    const keep = Math.min(batch.length, this.capacity - this.#size);
    for (let i = batch.length - 1; i >= batch.length - keep; i -= 1) {
      this.#head = (this.#head - 1 + this.capacity) % this.capacity;
      const at = this.#head;
      this.#ids[at] = batch.minerIds[i];
      this.#times[at] = batch.times[i] as number;
      this.#hashrates[at] = batch.hashrates[i] as number;
      this.#accepted[at] = batch.accepted[i] as number;
      this.#rejected[at] = batch.rejected[i] as number;
      this.#size += 1;
    }
    return batch.length - keep;
  }

  /** Empties the queue; returns how many rows were discarded. */
  clear(): number {
    const discarded = this.#size;
    this.#ids.fill(undefined);
    this.#head = 0;
    this.#size = 0;
    return discarded;
  }
}
