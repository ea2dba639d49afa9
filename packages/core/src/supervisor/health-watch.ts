import { withTimeout } from '../abort/with-timeout.js';
import type { HealthReport } from '../adapter/sample.js';
import { isRigkitError } from '../errors/rigkit-error.js';
import type { RestartReason } from '../events/rigkit-events.js';
import type { Scope } from '../scope/scope.js';
import type { SupervisionOptions } from './supervision-options.js';

/** What a {@link HealthWatch} reports after each probe. */
export interface HealthObservation {
  healthy: boolean;
  consecutiveFailures: number;
  report?: HealthReport;
  code?: string;
}

/** Inputs of a {@link HealthWatch}. */
export interface HealthWatchOptions {
  /** The run's scope: the watch's timer lives and dies with it. */
  scope: Scope;
  options: SupervisionOptions;
  now: () => number;
  /** When the run became ready; warm-up counts from here. */
  startedAt: number;
  probe: (signal: AbortSignal) => Promise<HealthReport>;
  onObservation: (observation: HealthObservation) => void;
  /** Called at most once per run, with the reason to restart. */
  onVerdict: (
    reason: Extract<RestartReason, 'probe-timeout' | 'unhealthy' | 'stall' | 'drop'>,
  ) => void;
}

/**
 * Watches one run of one miner: probes on an interval and tracks the hashrate for stall and
 * drop detection. It only reports a verdict; the miner decides what a restart means.
 * Its memory is one fixed-size window of recent hashrates.
 */
export class HealthWatch {
  readonly #o: HealthWatchOptions;
  readonly #window: Float64Array;
  #windowCount = 0;
  #windowNext = 0;
  #lowStreak = 0;
  #failures = 0;
  #probing = false;
  #lastNonZeroAt: number;
  #verdictGiven = false;
  #paused = false;

  constructor(options: HealthWatchOptions) {
    this.#o = options;
    this.#window = new Float64Array(options.options.dropWindow);
    this.#lastNonZeroAt = options.startedAt;
  }

  /** Starts probing every `probeIntervalMs`. */
  start(): void {
    this.#o.scope.setInterval(() => void this.probeNow(), this.#o.options.probeIntervalMs);
  }

  /** Runs one probe now (skipped while one is still in flight). */
  async probeNow(): Promise<void> {
    if (this.#probing || this.#verdictGiven || this.#o.scope.disposed) return;
    this.#probing = true;
    const { probeTimeoutMs, unhealthyAfter } = this.#o.options;
    let observation: HealthObservation;
    let timedOut = false;
    try {
      const report = await withTimeout(
        this.#o.probe,
        probeTimeoutMs,
        'health probe',
        this.#o.scope.signal,
      );
      if (report.healthy) this.#failures = 0;
      else this.#failures += 1;
      observation = { healthy: report.healthy, consecutiveFailures: this.#failures, report };
      if (report.healthy && typeof report.hashrate === 'number')
        this.observeHashrate(report.hashrate);
    } catch (error) {
      if (this.#o.scope.disposed) return;
      this.#failures += 1;
      const code = isRigkitError(error) ? error.code : 'E_PROBE_FAILED';
      timedOut = code === 'E_API_TIMEOUT';
      observation = { healthy: false, consecutiveFailures: this.#failures, code };
    } finally {
      this.#probing = false;
    }
    if (this.#o.scope.disposed) return;
    this.#o.onObservation(observation);
    if (this.#failures >= unhealthyAfter) {
      this.#verdict(timedOut ? 'probe-timeout' : 'unhealthy');
      return;
    }
    this.#checkStall();
  }

  /**
   * While paused on purpose (the temperature guard), a zero or low hashrate is expected:
   * stall and drop checks stand still, and the stall clock restarts on resume.
   */
  setPaused(paused: boolean): void {
    this.#paused = paused;
    if (!paused) {
      this.#lastNonZeroAt = this.#o.now();
      this.#lowStreak = 0;
    }
  }

  /** Feeds one hashrate reading (H/s) from a sample or probe. */
  observeHashrate(hashrate: number | undefined): void {
    if (this.#verdictGiven || this.#paused || hashrate === undefined || !Number.isFinite(hashrate))
      return;
    const now = this.#o.now();
    if (hashrate > 0) this.#lastNonZeroAt = now;
    this.#checkDrop(hashrate, now);
    this.#checkStall();
  }

  #checkStall(): void {
    const { stallTimeoutMs, warmupMs } = this.#o.options;
    if (stallTimeoutMs === 0 || this.#paused) return;
    const now = this.#o.now();
    const warmupEnd = this.#o.startedAt + warmupMs;
    if (now < warmupEnd) return;
    if (now - Math.max(this.#lastNonZeroAt, warmupEnd) >= stallTimeoutMs) this.#verdict('stall');
  }

  #checkDrop(hashrate: number, now: number): void {
    const { dropRatio, dropSamples, warmupMs } = this.#o.options;
    if (dropRatio === 0) return;
    const inWarmup = now < this.#o.startedAt + warmupMs;
    // Compare against the median of the samples before this one, so a drop cannot hide itself.
    if (!inWarmup && this.#windowCount >= Math.min(this.#window.length, dropSamples + 3)) {
      const median = medianOf(this.#window, this.#windowCount);
      if (median > 0 && hashrate < median * (1 - dropRatio)) {
        this.#lowStreak += 1;
        if (this.#lowStreak >= dropSamples) {
          this.#verdict('drop');
          return;
        }
        return; // low readings stay out of the baseline while the streak lasts
      }
    }
    this.#lowStreak = 0;
    this.#window[this.#windowNext] = hashrate;
    this.#windowNext = (this.#windowNext + 1) % this.#window.length;
    this.#windowCount = Math.min(this.#windowCount + 1, this.#window.length);
  }

  #verdict(reason: 'probe-timeout' | 'unhealthy' | 'stall' | 'drop'): void {
    if (this.#verdictGiven) return;
    this.#verdictGiven = true;
    this.#o.onVerdict(reason);
  }
}

function medianOf(values: Float64Array, count: number): number {
  const sorted = values.slice(0, count).sort();
  const mid = count >> 1;
  return count % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
