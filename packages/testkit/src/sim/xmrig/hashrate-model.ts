import { mulberry32, type RandomSource } from '../shared/mulberry32.js';
import type { HashrateTriple } from './format-hashrate.js';

/** The windows xmrig averages over, in seconds: 10 s, 60 s, 15 min. */
export const HASHRATE_WINDOWS_S = Object.freeze([10, 60, 900] as const);

/** One more sample than the longest window needs, so the 15 min window can always be read. */
const CAPACITY = 900 + 4;

/** How the model is set up. */
export interface HashrateModelOptions {
  /** Seed of the noise: the same seed and the same calls give the same values. */
  seed: number;
  /** The mean total hashrate in H/s while hashing. */
  hashrate: number;
  /** Mining threads; the hashrate is split evenly between them. */
  threads: number;
  /** Relative standard deviation of each thread's per-second hash count (default 0.03). */
  jitter?: number;
}

/** Window averages at one moment. */
export interface HashrateReading {
  total: HashrateTriple;
  threads: HashrateTriple[];
}

/**
 * The simulated hashrate of a CPU backend, in simulated seconds since mining started.
 *
 * It works like xmrig's `Hashrate` class: each thread reports its cumulative hash count once a
 * second (the first report at 1 s), and a window's value is the rate between the oldest report
 * inside the window and the newest one. A window has a value only once a report older than it
 * exists, so the 10 s window reads `null` at 10 s and has a value after 11 s, the 60 s window
 * after 61 s — which is why the fixtures print `n/a` at exactly 10 s and 60 s.
 *
 * While inactive (paused, no job, zero-hashrate fault) threads keep reporting zero new hashes:
 * the windows decay to 0 honestly instead of freezing. The model is advanced explicitly, one
 * whole second at a time, drawing the noise in a fixed order, so the values generated do not
 * depend on when or how often it is read.
 */
export class HashrateModel {
  readonly #random: RandomSource;
  readonly #perThread: number;
  readonly #jitter: number;
  /** Per thread: cumulative hash count at second `s`, stored at `s % CAPACITY`. */
  readonly #counts: Float64Array[];
  readonly #totals: number[];
  #second = 0;
  #active = true;
  #highest = 0;
  readonly #hashrate: number;

  constructor(options: HashrateModelOptions) {
    const threads = Math.max(1, Math.floor(options.threads));
    this.#random = mulberry32(options.seed);
    this.#hashrate = Math.max(0, options.hashrate);
    this.#perThread = this.#hashrate / threads;
    this.#jitter = options.jitter ?? 0.03;
    this.#counts = Array.from({ length: threads }, () => new Float64Array(CAPACITY));
    this.#totals = Array.from({ length: threads }, () => 0);
  }

  /** The mean hashrate while active, 0 while inactive (what shares are drawn from). */
  get rate(): number {
    return this.#active ? this.#hashrate : 0;
  }

  get active(): boolean {
    return this.#active;
  }

  /** Number of threads. */
  get threads(): number {
    return this.#counts.length;
  }

  /** The last whole second generated. */
  get second(): number {
    return this.#second;
  }

  /**
   * Starts or stops hashing at `atSeconds`. Seconds before that are generated with the old
   * state first; the change applies from the next whole second.
   */
  setActive(active: boolean, atSeconds: number): void {
    this.advanceTo(atSeconds);
    this.#active = active;
  }

  /** Generates every whole second up to `seconds`. */
  advanceTo(seconds: number): void {
    const target = Math.floor(seconds);
    while (this.#second < target) {
      const second = ++this.#second;
      for (let t = 0; t < this.#counts.length; t++) {
        // Always draw, active or not: pausing must not shift the noise of later seconds.
        const noise =
          (this.#random() + this.#random() + this.#random() + this.#random() - 2) * 1.7320508;
        const hashes = this.#active ? Math.max(0, this.#perThread * (1 + this.#jitter * noise)) : 0;
        const total = (this.#totals[t] as number) + hashes;
        this.#totals[t] = total;
        (this.#counts[t] as Float64Array)[second % CAPACITY] = total;
      }
      // xmrig's "max" is the highest 10 s total seen by its once-a-second tick (and the speed
      // line, printed on a whole second, reads the same value).
      const ten = this.#window(second, 10);
      if (ten !== null && ten > this.#highest) this.#highest = ten;
    }
  }

  /**
   * The window averages at time `seconds` from the reports generated so far (it does not
   * advance the model: like xmrig's API between two ticks, the newest report is the last whole
   * second generated, and only the window start moves with `seconds`).
   */
  read(seconds: number): HashrateReading {
    const now = Math.max(seconds, this.#second);
    const threads = this.#counts.map((_, t) =>
      HASHRATE_WINDOWS_S.map((w) => this.#threadWindow(t, now, w)),
    ) as HashrateTriple[];
    const total = HASHRATE_WINDOWS_S.map((_, i) => {
      let sum = 0;
      for (const triple of threads) {
        const value = triple[i];
        if (value === null || value === undefined) return null;
        sum += value;
      }
      return sum;
    }) as HashrateTriple;
    return { total, threads };
  }

  /** The highest 10 s total seen so far (0 before the 10 s window first filled). */
  highest(): number {
    return this.#highest;
  }

  /** Hashes done by all threads up to the last generated second. */
  totalHashes(): number {
    return this.#totals.reduce((sum, value) => sum + value, 0);
  }

  #window(now: number, windowS: number): number | null {
    let sum = 0;
    for (let t = 0; t < this.#counts.length; t++) {
      const value = this.#threadWindow(t, now, windowS);
      if (value === null) return null;
      sum += value;
    }
    return sum;
  }

  #threadWindow(thread: number, now: number, windowS: number): number | null {
    // The newest report strictly older than the window start must exist (reports start at 1 s).
    const older = Math.ceil(now - windowS) - 1;
    if (older < 1 || older < this.#second - CAPACITY + 1) return null;
    const earliest = older + 1;
    const latest = this.#second;
    if (latest <= earliest) return null;
    const counts = this.#counts[thread] as Float64Array;
    const hashes = (counts[latest % CAPACITY] as number) - (counts[earliest % CAPACITY] as number);
    return hashes / (latest - earliest);
  }
}
