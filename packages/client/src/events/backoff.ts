/** How the event stream waits between reconnects. */
export interface ReconnectOptions {
  /** Delay before the first reconnect. Default 500 ms. */
  initialDelayMs?: number;
  /** Upper bound of any delay. Default 30 000 ms. */
  maxDelayMs?: number;
  /** Growth per failed attempt. Default 2. */
  factor?: number;
  /**
   * Share of each delay that is random, 0…1: a delay `d` becomes a value in
   * `[d × (1 − jitter), d]`, so many clients of one restarted server do not reconnect in step.
   * Default 0.5.
   */
  jitter?: number;
  /** Consecutive failed attempts before giving up (final `closed`). Default: never give up. */
  maxAttempts?: number;
}

/**
 * The delay before reconnect number `attempt` (0 for the first): exponential, capped,
 * with jitter. `random` is injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  options: ReconnectOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 30_000;
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.5));
  const base = Math.min(max, initial * factor ** Math.max(0, attempt));
  return Math.max(0, Math.round(base * (1 - jitter * random())));
}
