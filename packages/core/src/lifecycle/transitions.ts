import { InvalidTransitionError } from '../errors/errors.js';

/** Every state a miner can be in. */
export const MINER_STATES = [
  'idle',
  'starting',
  'running',
  'stopping',
  'stopped',
  'crashed',
  'backoff',
  'failed',
] as const;

export type MinerState = (typeof MINER_STATES)[number];

/**
 * The lifecycle, as data. Anything not listed is illegal.
 *
 * - `starting → stopping`: a stop aborts a start in progress.
 * - `stopping → backoff`: a supervisor restart (unhealthy, stall, drop) waits out a backoff.
 * - `stopping → starting`: a manual restart starts again at once.
 * - `stopping → failed`: a supervisor restart whose policy gave up (crash-loop breaker).
 * - `crashed → backoff | failed`: the restart policy decides; `failed` means it gave up.
 * - `failed → starting`: only an explicit `start()` leaves `failed`.
 */
export const TRANSITIONS: Readonly<Record<MinerState, readonly MinerState[]>> = {
  idle: ['starting'],
  starting: ['running', 'stopping', 'crashed'],
  running: ['stopping', 'crashed'],
  stopping: ['stopped', 'backoff', 'starting', 'failed'],
  stopped: ['starting'],
  crashed: ['backoff', 'failed', 'stopped'],
  backoff: ['starting', 'stopped'],
  failed: ['starting'],
};

/** States in which a process (or in-process runner) may be alive. */
export const LIVE_STATES: ReadonlySet<MinerState> = new Set(['starting', 'running', 'stopping']);

/** True if the table allows `from → to`. */
export function canTransition(from: MinerState, to: MinerState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws `E_INVALID_TRANSITION` unless the table allows `from → to`. */
export function assertTransition(from: MinerState, to: MinerState): void {
  if (!canTransition(from, to)) throw new InvalidTransitionError(from, to);
}
