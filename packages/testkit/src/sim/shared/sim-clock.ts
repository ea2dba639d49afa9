/** Cancels a timer made by {@link SimClock}. Calling it twice is harmless. */
export type CancelTimer = () => void;

/** The longest delay `setTimeout` takes (2^31 − 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Simulated time for the simulators. `--sim-time-scale N` makes it run N times faster than
 * real time, so a test sees xmrig's 60 s hashrate window fill (or TT-Miner's uptime reach a
 * minute) in 60/N seconds. Timers are real Node timers (a simulator is a separate process, fake
 * timers would not help); only their durations derive from the scale.
 *
 * The clock owns every timer it makes, so {@link dispose} leaves nothing behind.
 */
export class SimClock {
  readonly #scale: number;
  readonly #origin: number;
  readonly #now: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();

  /**
   * @param scale how much faster than real time simulated time runs (> 0).
   * @param now a monotonic millisecond clock (tests may pass their own).
   */
  constructor(scale = 1, now: () => number = () => performance.now()) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`bad time scale ${scale}`);
    this.#scale = scale;
    this.#now = now;
    this.#origin = now();
  }

  get scale(): number {
    return this.#scale;
  }

  /** Simulated milliseconds since the clock was made. */
  nowMs(): number {
    return (this.#now() - this.#origin) * this.#scale;
  }

  /** Simulated seconds since the clock was made. */
  nowSeconds(): number {
    return this.nowMs() / 1000;
  }

  /** How many real milliseconds `simMs` simulated milliseconds take. */
  toRealMs(simMs: number): number {
    return simMs / this.#scale;
  }

  /** Runs `callback` after `simMs` simulated milliseconds. */
  after(simMs: number, callback: () => void): CancelTimer {
    return this.afterReal(this.toRealMs(simMs), callback);
  }

  /**
   * Runs `callback` after `realMs` real milliseconds (fault injection is in real time). Delays
   * beyond what `setTimeout` takes (2^31 − 1 ms, about 24.8 days; Node would fire a longer one
   * after 1 ms) are waited in steps; an infinite delay never fires.
   */
  afterReal(realMs: number, callback: () => void): CancelTimer {
    let timer: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = (remaining: number) => {
      if (cancelled || remaining === Number.POSITIVE_INFINITY || Number.isNaN(remaining)) return;
      const step = Math.min(Math.max(0, remaining), MAX_TIMER_MS);
      const current = setTimeout(() => {
        this.#timers.delete(current);
        timer = undefined;
        if (remaining > MAX_TIMER_MS) arm(remaining - MAX_TIMER_MS);
        else callback();
      }, step);
      timer = current;
      this.#timers.add(current);
    };
    arm(realMs);
    return () => {
      cancelled = true;
      if (timer === undefined) return;
      clearTimeout(timer);
      this.#timers.delete(timer);
      timer = undefined;
    };
  }

  /** Clears every pending timer. */
  dispose(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}
