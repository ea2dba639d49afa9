/** What {@link ShareLedger.check} decided about a share. */
export type ShareCheck = 'ok' | 'duplicate' | 'stale' | 'unknown-job' | 'full';

/** Settings of a {@link ShareLedger}. */
export interface ShareLedgerOptions {
  /** Shares remembered per job; past it new shares for that job are refused as `full`. */
  maxSharesPerJob: number;
}

/**
 * Duplicate-share detection for one upstream. Only the current and the previous job are
 * kept, and each job's set is capped, so memory is bounded by `2 × maxSharesPerJob` keys
 * whatever the miners send.
 */
export class ShareLedger {
  readonly #maxSharesPerJob: number;
  #currentId: string | undefined;
  #currentShares = new Set<string>();
  #currentClean = false;
  #previousId: string | undefined;
  #previousShares = new Set<string>();

  constructor(options: ShareLedgerOptions) {
    this.#maxSharesPerJob = options.maxSharesPerJob;
  }

  /**
   * A new job from the upstream. `clean` (a new block) makes shares for the previous job stale.
   * Announcing the current job again is a no-op; re-announcing the previous one swaps back and
   * keeps its shares, so a duplicate is still caught.
   */
  setJob(jobId: string, clean: boolean): void {
    if (jobId === this.#currentId) return;
    const recycled = this.#previousShares;
    if (jobId === this.#previousId) {
      this.#previousShares = this.#currentShares;
      this.#currentShares = recycled;
    } else {
      // Reuse the dropped job's Set rather than allocating one per job.
      recycled.clear();
      this.#previousShares = this.#currentShares;
      this.#currentShares = recycled;
    }
    this.#previousId = this.#currentId;
    this.#currentId = jobId;
    this.#currentClean = clean;
  }

  /**
   * Checks a share and, when it is `ok`, records it. `key` identifies the share within its job
   * (e.g. the nonce, plus extranonce2 and ntime for Stratum V1).
   */
  check(jobId: string, key: string): ShareCheck {
    let shares: Set<string>;
    if (jobId === this.#currentId) {
      shares = this.#currentShares;
    } else if (jobId === this.#previousId && this.#previousId !== undefined) {
      if (this.#currentClean) return 'stale';
      shares = this.#previousShares;
    } else {
      return 'unknown-job';
    }
    if (shares.has(key)) return 'duplicate';
    if (shares.size >= this.#maxSharesPerJob) return 'full';
    shares.add(key);
    return 'ok';
  }

  /** Forgets both jobs, e.g. after the upstream reconnected and its job ids mean nothing. */
  reset(): void {
    this.#currentId = undefined;
    this.#previousId = undefined;
    this.#currentClean = false;
    this.#currentShares.clear();
    this.#previousShares.clear();
  }

  /** The current job id, if any. */
  get currentJobId(): string | undefined {
    return this.#currentId;
  }

  /** Shares remembered across both jobs. */
  get size(): number {
    return this.#currentShares.size + this.#previousShares.size;
  }
}
