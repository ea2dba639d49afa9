/** The two numbers a token bucket needs; may live as fields of a connection object. */
export interface TokenState {
  /** Tokens left; fractional while refilling. */
  tokens: number;
  /** When `tokens` was last brought up to date (ms); `NaN` before the first take. */
  at: number;
}

/**
 * Takes one token from a bucket that refills at `ratePerSecond` up to `burst`, updating
 * `state` in place. Returns false (and takes nothing) when the bucket is empty. A bucket that
 * was never used (`at` is NaN) starts full.
 */
export function takeToken(
  state: TokenState,
  now: number,
  ratePerSecond: number,
  burst: number,
): boolean {
  if (Number.isNaN(state.at)) {
    state.tokens = burst;
  } else if (now > state.at) {
    // A clock that steps back refills nothing rather than draining the bucket.
    state.tokens = Math.min(burst, state.tokens + ((now - state.at) * ratePerSecond) / 1000);
  }
  if (now > state.at || Number.isNaN(state.at)) state.at = now;
  if (state.tokens < 1) return false;
  state.tokens -= 1;
  return true;
}

/**
 * A per-connection message rate limit (token bucket). Holds four numbers and no timer: the
 * bucket is refilled lazily from the `now` given to {@link MessageRate.take}.
 */
export class MessageRate implements TokenState {
  /** @inheritdoc */
  tokens = 0;
  /** @inheritdoc */
  at = Number.NaN;
  readonly #ratePerSecond: number;
  readonly #burst: number;

  constructor(ratePerSecond: number, burst: number) {
    this.#ratePerSecond = ratePerSecond;
    this.#burst = burst;
  }

  /** Takes a token for one message at time `now` (ms); false means the message is over the rate. */
  take(now: number): boolean {
    return takeToken(this, now, this.#ratePerSecond, this.#burst);
  }
}
