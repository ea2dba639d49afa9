import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import { RigkitError } from '../errors/rigkit-error.js';
import { BoundedRing } from './bounded-ring.js';
import { readOpenFds } from './read-open-fds.js';

/** The metrics a {@link ResourceMonitor} can raise pressure on. */
export type PressureMetric =
  | 'rssBytes'
  | 'heapUsedBytes'
  | 'eventLoopDelayP99Ms'
  | 'activeHandles'
  | 'openFds';

/** Upper limits per metric; a metric without a limit is never checked. */
export type ResourceThresholds = { [M in PressureMetric]?: number };

/** One reading of the Node process's resources. */
export interface ResourceSnapshot {
  /** When the reading was taken, in ms since the epoch (from the monitor's `now`). */
  time: number;
  /** Resident set size of the whole process. */
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  /** Memory of C++ objects bound to JS objects (includes `arrayBuffersBytes`). */
  externalBytes: number;
  arrayBuffersBytes: number;
  /**
   * Event-loop delay since the previous reading. `undefined` while the monitor is stopped or
   * before the sampler has recorded anything, so "no data" is never mistaken for "0 ms".
   */
  eventLoopDelay: { p50Ms: number; p99Ms: number; maxMs: number; meanMs: number } | undefined;
  /** Active handles and requests keeping the loop alive, by type (`Timeout`, `TCPWrap`, …). */
  activeResources: Record<string, number>;
  /** Total of {@link activeResources}; what the `activeHandles` threshold compares against. */
  activeResourceCount: number;
  /** Open file descriptors; `undefined` off Linux or when `/proc/self/fd` is unreadable. */
  openFds: number | undefined;
}

/** A metric crossed above its threshold (the payload of `monitor.pressure`). */
export interface PressureEvent {
  metric: PressureMetric;
  /** The reading that crossed the threshold. */
  value: number;
  threshold: number;
  /** {@link ResourceSnapshot.time} of that reading. */
  time: number;
}

/** Options of {@link ResourceMonitor}. */
export interface ResourceMonitorOptions {
  /** How often a started monitor takes a reading, in ms. Default 10 000. */
  intervalMs?: number;
  /** How many readings {@link ResourceMonitor.history} keeps. Default 100. */
  historySize?: number;
  /** Limits that raise pressure; non-negative, finite. */
  thresholds?: ResourceThresholds;
  /**
   * Called once when a metric goes above its threshold, and again only after it has been at or
   * below it in some later reading. The server forwards this as the `monitor.pressure` event.
   */
  onPressure?: (event: PressureEvent) => void;
  /** Clock for {@link ResourceSnapshot.time}; default `Date.now`. */
  now?: () => number;
  /**
   * Overrides merged field by field over each real reading. Meant for tests (to drive
   * thresholds deterministically) and for hosts that measure something the process cannot
   * see itself; most callers leave it unset.
   */
  read?: () => Partial<ResourceSnapshot>;
}

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_HISTORY_SIZE = 100;
// setInterval silently clamps longer delays to 1 ms, which would turn a typo into a busy loop.
const MAX_INTERVAL_MS = 2_147_483_647;
// Snapshots are small, but a history this large is surely a unit mistake (ms vs points).
const MAX_HISTORY_SIZE = 1_000_000;
// Resolution of the event-loop delay sampler: fine enough to catch short stalls, coarse
// enough that the sampler's own wake-ups cost nothing measurable.
const EVENT_LOOP_RESOLUTION_MS = 20;
const NS_PER_MS = 1e6;

const METRICS: Readonly<Record<PressureMetric, (s: ResourceSnapshot) => number | undefined>> = {
  rssBytes: (s) => s.rssBytes,
  heapUsedBytes: (s) => s.heapUsedBytes,
  eventLoopDelayP99Ms: (s) => s.eventLoopDelay?.p99Ms,
  activeHandles: (s) => s.activeResourceCount,
  openFds: (s) => s.openFds,
};

const OPTION_KEYS = new Set<string>([
  'intervalMs',
  'historySize',
  'thresholds',
  'onPressure',
  'now',
  'read',
]);

/**
 * Watches the Node process itself: memory, event-loop delay, active handles and open file
 * descriptors, with a bounded history and edge-triggered pressure callbacks.
 *
 * Construction does no I/O and starts nothing; {@link start} starts the interval and the
 * event-loop sampler, and {@link stop} (or disposal) releases both, so a monitor owned by a
 * scope leaves no handle behind.
 */
export class ResourceMonitor {
  readonly #intervalMs: number;
  readonly #thresholds: ReadonlyArray<readonly [PressureMetric, number]>;
  readonly #onPressure: ((event: PressureEvent) => void) | undefined;
  readonly #now: () => number;
  readonly #read: (() => Partial<ResourceSnapshot>) | undefined;
  readonly #history: BoundedRing<ResourceSnapshot>;
  /** Metrics currently above their threshold; they stay silent until they drop back. */
  readonly #breached = new Set<PressureMetric>();
  #timer: NodeJS.Timeout | undefined;
  /** Created on first start, not in the constructor, so an unused monitor costs nothing. */
  #histogram: IntervalHistogram | undefined;

  constructor(options: ResourceMonitorOptions = {}) {
    validateOptions(options);
    this.#intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.#history = new BoundedRing(options.historySize ?? DEFAULT_HISTORY_SIZE);
    // Copied so a caller mutating its options object later cannot change live thresholds.
    this.#thresholds = Object.entries(options.thresholds ?? {}).filter(
      (entry): entry is [PressureMetric, number] => entry[1] !== undefined,
    );
    this.#onPressure = options.onPressure;
    this.#now = options.now ?? (() => Date.now());
    this.#read = options.read;
  }

  /** Whether the monitor is taking readings on its interval. */
  get running(): boolean {
    return this.#timer !== undefined;
  }

  /**
   * Takes a reading now. It is returned, not added to {@link history}: only interval ticks
   * are recorded, so history points stay evenly spaced. While started, it also restarts the
   * event-loop delay window, so the next reading covers the time since this one.
   */
  snapshot(): ResourceSnapshot {
    const memory = process.memoryUsage();
    const activeResources: Record<string, number> = {};
    const resources = process.getActiveResourcesInfo();
    for (const type of resources) activeResources[type] = (activeResources[type] ?? 0) + 1;
    const reading: ResourceSnapshot = {
      time: this.#now(),
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
      arrayBuffersBytes: memory.arrayBuffers,
      eventLoopDelay: this.#readEventLoopDelay(),
      activeResources,
      activeResourceCount: resources.length,
      openFds: readOpenFds(),
    };
    return this.#read === undefined ? reading : { ...reading, ...this.#read() };
  }

  /**
   * Starts the event-loop sampler and the reading interval. Each tick records a reading and
   * checks thresholds. Calling it on a started monitor does nothing.
   */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#histogram ??= monitorEventLoopDelay({ resolution: EVENT_LOOP_RESOLUTION_MS });
    this.#histogram.reset();
    this.#histogram.enable();
    // Deliberately not unref()'d: the owner's scope must stop it, and a ref'd timer is what
    // makes a forgotten stop() visible to leak checks instead of silently lingering.
    this.#timer = setInterval(() => this.#tick(), this.#intervalMs);
  }

  /** Stops the interval and the event-loop sampler. Safe to call any number of times. */
  stop(): void {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
    this.#histogram?.disable();
  }

  /** Same as {@link stop}; lets a scope or `using` own the monitor. */
  [Symbol.dispose](): void {
    this.stop();
  }

  /** Recorded readings, oldest first; at most `historySize` of them. */
  history(): ResourceSnapshot[] {
    return this.#history.toArray();
  }

  /** The newest recorded reading, or `undefined` before the first tick. */
  latest(): ResourceSnapshot | undefined {
    return this.#history.newest();
  }

  /**
   * Runs a full garbage collection if the process was started with `--expose-gc`.
   * Returns whether it ran; never throws, so it is safe to wire to an admin endpoint.
   */
  gc(): boolean {
    const gc: unknown = (globalThis as { gc?: unknown }).gc;
    if (typeof gc !== 'function') return false;
    try {
      gc();
      return true;
    } catch {
      return false;
    }
  }

  #readEventLoopDelay(): ResourceSnapshot['eventLoopDelay'] {
    const histogram = this.#histogram;
    if (histogram === undefined || this.#timer === undefined) return undefined;
    // An empty histogram reports min = 2^63 and mean = NaN; "no data" must not read as numbers.
    if (histogram.count === 0) return undefined;
    const delay = {
      p50Ms: histogram.percentile(50) / NS_PER_MS,
      p99Ms: histogram.percentile(99) / NS_PER_MS,
      maxMs: histogram.max / NS_PER_MS,
      meanMs: histogram.mean / NS_PER_MS,
    };
    histogram.reset();
    return delay;
  }

  #tick(): void {
    // A throw here would escape the timer as an uncaught exception and take the whole server
    // down; a monitor that cannot read (EMFILE, a throwing callback) should say so and go on.
    try {
      const reading = this.snapshot();
      this.#history.push(reading);
      this.#checkThresholds(reading);
    } catch (error) {
      warn('reading failed', error);
    }
  }

  #checkThresholds(reading: ResourceSnapshot): void {
    for (const [metric, threshold] of this.#thresholds) {
      const value = METRICS[metric](reading);
      // A missing value (no event-loop data yet, no /proc) neither raises nor clears pressure.
      if (value === undefined) continue;
      if (value <= threshold) {
        this.#breached.delete(metric);
        continue;
      }
      if (this.#breached.has(metric)) continue;
      this.#breached.add(metric);
      // Isolated per metric so one throwing callback cannot hide another metric's pressure.
      try {
        this.#onPressure?.({ metric, value, threshold, time: reading.time });
      } catch (error) {
        warn('onPressure threw', error);
      }
    }
  }
}

function warn(what: string, error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  process.emitWarning(`resource monitor: ${what}: ${detail}`, {
    type: 'RigkitWarning',
    code: 'E_MONITOR',
  });
}

function validateOptions(options: ResourceMonitorOptions): void {
  const issues: { path: string; message: string }[] = [];
  if (typeof options !== 'object' || options === null) {
    issues.push({ path: '', message: 'must be an object' });
  } else {
    // Unknown keys are rejected because a misspelt option (`interval`) would otherwise be
    // silently ignored and the monitor would run with defaults the caller never chose.
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key)) issues.push({ path: key, message: 'unknown option' });
    }
    checkInteger(issues, 'intervalMs', options.intervalMs, 1, MAX_INTERVAL_MS);
    checkInteger(issues, 'historySize', options.historySize, 1, MAX_HISTORY_SIZE);
    for (const key of ['onPressure', 'now', 'read'] as const) {
      if (options[key] !== undefined && typeof options[key] !== 'function') {
        issues.push({ path: key, message: 'must be a function' });
      }
    }
    const thresholds: unknown = options.thresholds;
    if (thresholds !== undefined) {
      if (typeof thresholds !== 'object' || thresholds === null || Array.isArray(thresholds)) {
        issues.push({ path: 'thresholds', message: 'must be an object' });
      } else {
        for (const [key, value] of Object.entries(thresholds)) {
          const path = `thresholds.${key}`;
          // Same reason as above, sharper: a misspelt threshold is an alarm that never rings.
          if (!Object.hasOwn(METRICS, key)) {
            issues.push({ path, message: `unknown metric; expected one of ${metricList()}` });
          } else if (
            value !== undefined &&
            (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
          ) {
            issues.push({ path, message: 'must be a finite number >= 0' });
          }
        }
      }
    }
  }
  if (issues.length > 0) {
    const list = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    throw new RigkitError('E_CONFIG_INVALID', `invalid resource monitor options: ${list}`, {
      details: { issues },
    });
  }
}

function checkInteger(
  issues: { path: string; message: string }[],
  path: string,
  value: unknown,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    issues.push({ path, message: `must be an integer from ${min} to ${max}` });
  }
}

function metricList(): string {
  return Object.keys(METRICS).join(', ');
}
