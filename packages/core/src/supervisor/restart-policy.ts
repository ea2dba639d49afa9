import type { SupervisionOptions } from './supervision-options.js';

/** What the policy decided after a crash or an unhealthy verdict. */
export type RestartDecision =
  | { action: 'restart'; delayMs: number; attempt: number }
  | { action: 'give-up'; reason: 'crash-loop' | 'restart-disabled'; restarts: number };

/**
 * Exponential backoff with jitter plus a crash-loop breaker: more than
 * `crashLoopMaxRestarts` restarts within `crashLoopWindowMs` gives up. Remembers at most that
 * many restart times (a fixed-size record), so it is bounded by construction.
 */
export class RestartPolicy {
  readonly #options: SupervisionOptions;
  readonly #random: () => number;
  #recent: number[] = [];

  constructor(options: SupervisionOptions, random: () => number = Math.random) {
    this.#options = options;
    this.#random = random;
  }

  /** Restarts counted inside the window at `now`. */
  recentRestarts(now: number): number {
    this.#forgetBefore(now - this.#options.crashLoopWindowMs);
    return this.#recent.length;
  }

  /**
   * Decides what to do about a failure at `now`. `crash` failures respect `restartOnCrash`;
   * health-driven restarts (probe, stall, drop) always restart unless the breaker trips.
   */
  decide(now: number, kind: 'crash' | 'health'): RestartDecision {
    const o = this.#options;
    const restarts = this.recentRestarts(now);
    if (kind === 'crash' && !o.restartOnCrash) {
      return { action: 'give-up', reason: 'restart-disabled', restarts };
    }
    if (restarts >= o.crashLoopMaxRestarts) {
      return { action: 'give-up', reason: 'crash-loop', restarts };
    }
    this.#recent.push(now);
    const attempt = restarts + 1;
    const base = Math.min(o.backoffMaxMs, o.backoffInitialMs * 2 ** (attempt - 1));
    const spread = base * o.backoffJitter * (this.#random() * 2 - 1);
    const delayMs = Math.max(0, Math.round(Math.min(o.backoffMaxMs, base + spread)));
    return { action: 'restart', delayMs, attempt };
  }

  /** Forgets past restarts (after an explicit user start). */
  reset(): void {
    this.#recent = [];
  }

  #forgetBefore(cutoff: number): void {
    let drop = 0;
    while (drop < this.#recent.length && (this.#recent[drop] as number) <= cutoff) drop++;
    if (drop > 0) this.#recent = this.#recent.slice(drop);
  }
}
