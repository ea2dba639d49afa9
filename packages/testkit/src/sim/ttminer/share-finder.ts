import { type RandomSource, randomBytesFrom } from '../shared/mulberry32.js';
import { ShareScheduler } from '../shared/share-scheduler.js';
import type { SimClock } from '../shared/sim-clock.js';
import { type Extranonce, HASHES_PER_DIFF1, type StratumV1Job } from './stratum-v1-job.js';

/** What the GPUs work on: a job, this connection's extranonce and the job's difficulty. */
export interface StratumV1Work extends Extranonce {
  job: StratumV1Job;
  difficulty: number;
}

/** The fields of a `mining.submit` (after the worker name). */
export interface StratumV1Share {
  jobId: string;
  /** Hex, `extranonce2Size` bytes. */
  extranonce2: string;
  /** 8 hex digits. */
  ntime: string;
  /** 8 hex digits. */
  nonce: string;
}

/**
 * Finds shares for the current work. The simulator only tells it what to work on and how fast
 * the GPUs go; the finder calls back with each share it finds.
 *
 * {@link SimulatedShareFinder} draws share times from hashrate ÷ (difficulty × 2^32) and fills
 * the fields with seeded bytes (a pool that verifies SHA-256d rejects them). A real finder —
 * hashing block headers built from the work — can replace it through the simulator's
 * `shareFinder` option without touching the stratum client.
 */
export interface ShareFinder {
  /** New work (a job, a difficulty, an extranonce), or `undefined`: stop. */
  setWork(work: StratumV1Work | undefined): void;
  /** The hashrate to find shares at, H/s (simulated time); 0 stops. */
  setHashrate(hashesPerSecond: number): void;
  /** Stops for good and releases timers. */
  dispose(): void;
}

/** What a {@link ShareFinder} is made with. */
export interface ShareFinderContext {
  clock: SimClock;
  /** A seeded stream for share times. */
  timing: RandomSource;
  /** A seeded stream for share contents. */
  content: RandomSource;
  onShare(share: StratumV1Share): void;
}

/** Makes the share finder of a run (the simulator's option). */
export type ShareFinderFactory = (context: ShareFinderContext) => ShareFinder;

/**
 * Shares at the statistically right rate with made-up contents: a Poisson process of rate
 * hashrate ÷ (difficulty × 2^32) per simulated second (the shared {@link ShareScheduler});
 * extranonce2 counts up per work, the nonce is random, ntime is the job's.
 */
export class SimulatedShareFinder implements ShareFinder {
  readonly #context: ShareFinderContext;
  readonly #scheduler: ShareScheduler;
  #work: StratumV1Work | undefined;
  #hashrate = 0;
  #extranonce2 = 0;

  constructor(context: ShareFinderContext) {
    this.#context = context;
    this.#scheduler = new ShareScheduler({
      random: context.timing,
      clock: context.clock,
      onShare: () => this.#found(),
    });
  }

  setWork(work: StratumV1Work | undefined): void {
    this.#work = work;
    this.#extranonce2 = 0;
    this.#apply();
  }

  setHashrate(hashesPerSecond: number): void {
    this.#hashrate = hashesPerSecond;
    this.#apply();
  }

  dispose(): void {
    this.#work = undefined;
    this.#scheduler.stop();
  }

  #apply(): void {
    const work = this.#work;
    if (!work || this.#hashrate <= 0) {
      this.#scheduler.stop();
      return;
    }
    this.#scheduler.set(this.#hashrate, work.difficulty * HASHES_PER_DIFF1);
  }

  #found(): void {
    const work = this.#work;
    if (!work) return;
    const bytes = work.extranonce2Size;
    const counter = this.#extranonce2++;
    // Big-endian counter in `bytes` bytes, wrapping (4 bytes hold 2^32 shares of one job).
    const extranonce2 = Buffer.alloc(bytes);
    let rest = counter;
    for (let i = bytes - 1; i >= 0 && rest > 0; i--) {
      extranonce2[i] = rest % 256;
      rest = Math.floor(rest / 256);
    }
    this.#context.onShare({
      jobId: work.job.jobId,
      extranonce2: extranonce2.toString('hex'),
      ntime: work.job.ntime,
      nonce: randomBytesFrom(this.#context.content, 4).toString('hex'),
    });
  }
}

/** The default {@link ShareFinderFactory}. */
export const simulatedShareFinder: ShareFinderFactory = (context) =>
  new SimulatedShareFinder(context);
