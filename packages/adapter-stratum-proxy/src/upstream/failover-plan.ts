/** Settings of a {@link FailoverPlan}. */
export interface FailoverPlanOptions {
  /** How many pools the ordered failover list has (≥ 1); index 0 is the primary. */
  pools: number;
  /** Wait after the first fully failed round of the list. */
  initialBackoffMs: number;
  /** The wait never exceeds this, jitter included. */
  maxBackoffMs: number;
  /** Uniform [0, 1) source for jitter; injectable so tests are exact. */
  random?: () => number;
}

/** The next attempt after a failure: which pool, and how long to wait before trying it. */
export interface FailoverStep {
  index: number;
  delayMs: number;
}

const JITTER = 0.2;
// 2^40 × any sane initial backoff is far past any cap; stopping there keeps the maths finite.
const MAX_EXPONENT = 40;

/**
 * Which pool of an ordered list to try next and how long to wait first. Failing over to a
 * pool not yet tried in this round is immediate; after every pool of a round has failed, the
 * wait doubles (±20 % jitter so a farm of proxies does not reconnect in lockstep), capped at
 * `maxBackoffMs`. Pure: no timers, no I/O.
 */
export class FailoverPlan {
  readonly #pools: number;
  readonly #initialBackoffMs: number;
  readonly #maxBackoffMs: number;
  readonly #random: () => number;
  #current = 0;
  /** Pools attempted in the current round, the current one included. */
  #triedInRound = 1;
  /** Rounds in which every pool failed since the last success. */
  #failedRounds = 0;

  constructor(options: FailoverPlanOptions) {
    this.#pools = Math.max(1, Math.floor(options.pools));
    this.#initialBackoffMs = options.initialBackoffMs;
    this.#maxBackoffMs = options.maxBackoffMs;
    this.#random = options.random ?? Math.random;
  }

  /** Index of the pool to use now. */
  get current(): number {
    return this.#current;
  }

  /** True while the primary (index 0) is in use. */
  get onPrimary(): boolean {
    return this.#current === 0;
  }

  /** Full rounds of the list that failed since the last success. */
  get failedRounds(): number {
    return this.#failedRounds;
  }

  /** The current pool failed: moves to the next one (wrapping) and says how long to wait. */
  failed(): FailoverStep {
    this.#current = (this.#current + 1) % this.#pools;
    if (this.#triedInRound < this.#pools) {
      this.#triedInRound++;
      return { index: this.#current, delayMs: 0 };
    }
    this.#triedInRound = 1;
    this.#failedRounds++;
    return { index: this.#current, delayMs: this.#backoff() };
  }

  /** The current pool works: the backoff starts over and a new round begins here. */
  succeeded(): void {
    this.#failedRounds = 0;
    this.#triedInRound = 1;
  }

  /**
   * Goes back to the primary (after a probe found it healthy). A new round starts there; the
   * backoff is left alone until {@link FailoverPlan.succeeded} confirms the connection.
   */
  usePrimary(): void {
    this.#current = 0;
    this.#triedInRound = 1;
  }

  #backoff(): number {
    const exponent = Math.min(this.#failedRounds - 1, MAX_EXPONENT);
    const base = Math.min(this.#maxBackoffMs, this.#initialBackoffMs * 2 ** exponent);
    const jittered = base * (1 + (this.#random() * 2 - 1) * JITTER);
    return Math.max(0, Math.round(Math.min(this.#maxBackoffMs, jittered)));
  }
}
