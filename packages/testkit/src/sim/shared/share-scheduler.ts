import { type RandomSource, randomExponential } from './mulberry32.js';
import type { CancelTimer, SimClock } from './sim-clock.js';

/** How {@link ShareScheduler} times shares. */
export interface ShareSchedulerOptions {
  random: RandomSource;
  clock: SimClock;
  /** Called when a share is found. */
  onShare: () => void;
  /**
   * Shortest real delay between two shares. Bounds the work a misconfigured test (a huge
   * hashrate, difficulty 1) can cause: at most 1000 / minRealDelayMs shares a second.
   */
  minRealDelayMs?: number;
}

/**
 * Finds shares at the rate a miner would: a share is a hash below the job target, so with
 * hashrate H (H/s) and D hashes per share on average the shares form a Poisson process of rate
 * H / D per (simulated) second. Inter-arrival times are exponential draws from the seeded PRNG.
 *
 * D is the difficulty itself for CryptoNote (xmrig: difficulty 1000 = 1000 hashes per share)
 * and difficulty × 2^32 for Bitcoin-style Stratum V1 difficulty (TT-Miner's client).
 *
 * When the rate changes (new difficulty, pause, zero hashrate) the pending draw is replaced:
 * the exponential distribution is memoryless, so redrawing does not bias the rate.
 */
export class ShareScheduler {
  readonly #options: ShareSchedulerOptions;
  #rate = 0;
  #cancel: CancelTimer | undefined;

  constructor(options: ShareSchedulerOptions) {
    this.#options = options;
  }

  /** Expected shares per simulated second. */
  get rate(): number {
    return this.#rate;
  }

  /**
   * Sets the hashrate and the mean number of hashes per share (the difficulty, in the unit
   * above) shares are drawn for; 0 for either stops the shares.
   */
  set(hashrate: number, hashesPerShare: number): void {
    const rate =
      hashrate > 0 && hashesPerShare > 0 && Number.isFinite(hashesPerShare)
        ? hashrate / hashesPerShare
        : 0;
    if (rate === this.#rate && (this.#cancel !== undefined || rate === 0)) return;
    this.#rate = rate;
    this.#schedule();
  }

  /** Stops finding shares. */
  stop(): void {
    this.#rate = 0;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #schedule(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    if (this.#rate <= 0) return;
    const { clock, random, minRealDelayMs = 2 } = this.#options;
    const simMs = randomExponential(random, 1000 / this.#rate);
    const realMs = Math.max(minRealDelayMs, clock.toRealMs(simMs));
    this.#cancel = clock.afterReal(realMs, () => {
      this.#cancel = undefined;
      this.#options.onShare();
      this.#schedule();
    });
  }
}
