import { RigkitError } from '../errors/rigkit-error.js';

/**
 * How core watches and restarts one miner. Every duration is in milliseconds.
 * Defaults favour patience: a miner is never killed on a fixed timer, only on evidence.
 */
export interface SupervisionOptions {
  /** Time between probes while running. Default 10 000. */
  probeIntervalMs: number;
  /** A probe that takes longer counts as failed (`probe-timeout`). Default 5000. */
  probeTimeoutMs: number;
  /** How long `start()` waits for the first ready probe before giving up. Default 30 000. */
  startTimeoutMs: number;
  /** Time between readiness probes while starting. Default 250. */
  readyPollMs: number;
  /** Warm-up after start during which stall and drop checks do not act. Default 60 000. */
  warmupMs: number;
  /** Consecutive failed probes that make a miner unhealthy and restart it. Default 3. */
  unhealthyAfter: number;
  /** Restart when hashrate stays zero this long after warm-up; 0 disables. Default 300 000. */
  stallTimeoutMs: number;
  /**
   * Restart when the hashrate falls by this fraction below its rolling median (0.5 = −50 %)
   * for `dropSamples` samples in a row; 0 disables (the default).
   */
  dropRatio: number;
  /** Consecutive low samples that count as a drop. Default 3. */
  dropSamples: number;
  /** Samples in the rolling median window. Default 30. */
  dropWindow: number;
  /** First restart delay. Default 1000. */
  backoffInitialMs: number;
  /** Longest restart delay. Default 60 000. */
  backoffMaxMs: number;
  /** Random spread of each delay, 0..1 (0.2 = ±20 %). Default 0.2. */
  backoffJitter: number;
  /** Restarts allowed within `crashLoopWindowMs` before the miner is marked `failed`. Default 5. */
  crashLoopMaxRestarts: number;
  /** Window of the crash-loop breaker. Default 600 000 (10 min). */
  crashLoopWindowMs: number;
  /** Time the miner gets to exit after the stop signal before SIGKILL. Default 5000. */
  stopGraceMs: number;
  /** Restart after a crash at all. Default true. */
  restartOnCrash: boolean;
  /** Temperature guard: act when any device is above this, °C; 0 disables (the default). */
  temperatureLimitC: number;
  /** Resume when every device is at or below this, °C. Default: the limit − 10. */
  temperatureResumeC: number;
  /** Hot readings in a row before the guard acts. Default 3. */
  temperatureSamples: number;
  /**
   * `pause`: keep the process and pause mining through the adapter's `pause()`/`resume()`
   * (falls back to `stop` for adapters without them). `stop`: stop the run and start again
   * after `temperatureCooldownMs` (0: stay stopped). Default `pause`.
   */
  temperatureAction: 'pause' | 'stop';
  /** Cool-down before a guard-stopped miner starts again. Default 300 000. */
  temperatureCooldownMs: number;
}

export const DEFAULT_SUPERVISION: Readonly<SupervisionOptions> = Object.freeze({
  probeIntervalMs: 10_000,
  probeTimeoutMs: 5_000,
  startTimeoutMs: 30_000,
  readyPollMs: 250,
  warmupMs: 60_000,
  unhealthyAfter: 3,
  stallTimeoutMs: 300_000,
  dropRatio: 0,
  dropSamples: 3,
  dropWindow: 30,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  backoffJitter: 0.2,
  crashLoopMaxRestarts: 5,
  crashLoopWindowMs: 600_000,
  stopGraceMs: 5_000,
  restartOnCrash: true,
  temperatureLimitC: 0,
  temperatureResumeC: 0,
  temperatureSamples: 3,
  temperatureAction: 'pause',
  temperatureCooldownMs: 300_000,
});

const INTEGER_KEYS = new Set<keyof SupervisionOptions>([
  'unhealthyAfter',
  'dropSamples',
  'dropWindow',
  'crashLoopMaxRestarts',
  'temperatureSamples',
]);

/**
 * Merges defaults, adapter suggestions and user settings (later wins) and validates the
 * result, throwing `E_CONFIG_INVALID` with every bad key.
 */
export function resolveSupervision(
  ...layers: ReadonlyArray<Partial<SupervisionOptions> | undefined>
): SupervisionOptions {
  const merged: SupervisionOptions = { ...DEFAULT_SUPERVISION };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
    }
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(merged) as [keyof SupervisionOptions, unknown][]) {
    if (!(key in DEFAULT_SUPERVISION)) {
      problems.push(`${key}: unknown setting`);
    } else if (key === 'restartOnCrash') {
      if (typeof value !== 'boolean') problems.push(`${key}: must be a boolean`);
    } else if (key === 'temperatureAction') {
      if (value !== 'pause' && value !== 'stop') problems.push(`${key}: must be "pause" or "stop"`);
    } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      problems.push(`${key}: must be a finite number ≥ 0`);
    } else if (INTEGER_KEYS.has(key) && !Number.isInteger(value)) {
      problems.push(`${key}: must be an integer`);
    }
  }
  if (merged.backoffJitter > 1) problems.push('backoffJitter: must be between 0 and 1');
  if (merged.dropRatio >= 1) problems.push('dropRatio: must be below 1');
  if (merged.probeIntervalMs === 0) problems.push('probeIntervalMs: must be above 0');
  if (merged.readyPollMs === 0) problems.push('readyPollMs: must be above 0');
  if (merged.unhealthyAfter < 1) problems.push('unhealthyAfter: must be at least 1');
  if (merged.dropWindow < 3) problems.push('dropWindow: must be at least 3');
  if (merged.dropSamples < 1) problems.push('dropSamples: must be at least 1');
  if (merged.dropWindow > 10_000) problems.push('dropWindow: must be at most 10000');
  if (merged.temperatureSamples < 1) problems.push('temperatureSamples: must be at least 1');
  if (merged.temperatureLimitC > 0 && merged.temperatureResumeC >= merged.temperatureLimitC) {
    problems.push('temperatureResumeC: must be below temperatureLimitC');
  }
  if (merged.backoffMaxMs < merged.backoffInitialMs) {
    problems.push('backoffMaxMs: must be ≥ backoffInitialMs');
  }
  if (problems.length > 0) {
    throw new RigkitError(
      'E_CONFIG_INVALID',
      `invalid supervision settings: ${problems.join('; ')}`,
      {
        details: { issues: problems },
      },
    );
  }
  return merged;
}
