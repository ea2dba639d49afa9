import { afterEach, describe, expect, it, vi } from 'vitest';
import { isRigkitError } from '../errors/rigkit-error.js';
import { BoundedRing } from './bounded-ring.js';
import { readOpenFds } from './read-open-fds.js';
import {
  type PressureEvent,
  ResourceMonitor,
  type ResourceMonitorOptions,
  type ResourceSnapshot,
} from './resource-monitor.js';

// Captured at module load, before any test fakes timers, to create real handles on demand.
const setTimeoutReal = globalThis.setTimeout;
const clearTimeoutReal = globalThis.clearTimeout;

function countTimeouts(): number {
  return process.getActiveResourcesInfo().filter((type) => type === 'Timeout').length;
}

/** A `read` hook that replays the given values for one field, one per reading. */
function replay<K extends keyof ResourceSnapshot>(
  field: K,
  values: ResourceSnapshot[K][],
): () => Partial<ResourceSnapshot> {
  let i = 0;
  return () => {
    const value = values[Math.min(i, values.length - 1)] as ResourceSnapshot[K];
    i += 1;
    return { [field]: value } as Partial<ResourceSnapshot>;
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('ResourceMonitor.snapshot', () => {
  it('reads sane values, including a timer created here', () => {
    const timer = setTimeout(() => {}, 60_000);
    try {
      const monitor = new ResourceMonitor({ now: () => 1234 });
      const s = monitor.snapshot();
      expect(s.time).toBe(1234);
      expect(s.rssBytes).toBeGreaterThan(0);
      expect(s.heapUsedBytes).toBeGreaterThan(0);
      expect(s.heapTotalBytes).toBeGreaterThanOrEqual(s.heapUsedBytes);
      expect(s.externalBytes).toBeGreaterThanOrEqual(0);
      expect(s.arrayBuffersBytes).toBeGreaterThanOrEqual(0);
      expect(s.activeResources.Timeout).toBeGreaterThanOrEqual(1);
      const total = Object.values(s.activeResources).reduce((a, b) => a + b, 0);
      expect(s.activeResourceCount).toBe(total);
      // Not started: no sampler, so no delay figures rather than zeros.
      expect(s.eventLoopDelay).toBeUndefined();
      if (process.platform === 'linux') {
        expect(s.openFds).toBeTypeOf('number');
        expect(s.openFds).toBeGreaterThan(0);
      } else {
        expect(s.openFds).toBeUndefined();
      }
      // Readings are taken on request only; nothing is recorded.
      expect(monitor.history()).toEqual([]);
      expect(monitor.latest()).toBeUndefined();
    } finally {
      clearTimeout(timer);
    }
  });

  it('reports event-loop delay in ms while started', async () => {
    const monitor = new ResourceMonitor({ intervalMs: 60_000 });
    monitor.start();
    try {
      // The sampler records on its own libuv timer; poll until it has something to report.
      const delay = await vi.waitFor(
        () => {
          const d = monitor.snapshot().eventLoopDelay;
          if (d === undefined) throw new Error('no samples yet');
          return d;
        },
        { timeout: 5_000, interval: 50 },
      );
      for (const v of Object.values(delay)) expect(Number.isFinite(v)).toBe(true);
      expect(delay.p50Ms).toBeGreaterThanOrEqual(0);
      expect(delay.p99Ms).toBeGreaterThanOrEqual(delay.p50Ms);
      expect(delay.maxMs).toBeGreaterThanOrEqual(delay.p99Ms);
      // ns would be in the millions; a stalled test machine still stays far below 10 s.
      expect(delay.maxMs).toBeLessThan(10_000);
    } finally {
      monitor.stop();
    }
    expect(monitor.snapshot().eventLoopDelay).toBeUndefined();
  });

  it('merges the read hook over the real reading', () => {
    const monitor = new ResourceMonitor({ read: () => ({ rssBytes: 42, openFds: undefined }) });
    const s = monitor.snapshot();
    expect(s.rssBytes).toBe(42);
    expect(s.openFds).toBeUndefined();
    expect(s.heapUsedBytes).toBeGreaterThan(0);
  });
});

describe('ResourceMonitor lifecycle', () => {
  it('starts no timer on construction and one on start, even when started twice', () => {
    vi.useFakeTimers();
    const monitor = new ResourceMonitor({ intervalMs: 1_000 });
    expect(vi.getTimerCount()).toBe(0);
    expect(monitor.running).toBe(false);
    monitor.start();
    monitor.start();
    expect(vi.getTimerCount()).toBe(1);
    expect(monitor.running).toBe(true);
    vi.advanceTimersByTime(3_000);
    expect(monitor.history()).toHaveLength(3);
    monitor.stop();
    monitor.stop();
    expect(vi.getTimerCount()).toBe(0);
    expect(monitor.running).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(monitor.history()).toHaveLength(3);
  });

  it('keeps a bounded history, oldest first', () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const monitor = new ResourceMonitor({ intervalMs: 1_000, historySize: 5 });
    monitor.start();
    vi.advanceTimersByTime(20 * 1_000);
    monitor.stop();
    const history = monitor.history();
    expect(history).toHaveLength(5);
    expect(history.map((s) => s.time)).toEqual([
      1_016_000, 1_017_000, 1_018_000, 1_019_000, 1_020_000,
    ]);
    expect(monitor.latest()).toBe(history[4]);
  });

  it('leaves no timer behind after stop (real timers)', () => {
    const before = countTimeouts();
    const monitor = new ResourceMonitor({ intervalMs: 60_000 });
    monitor.start();
    expect(countTimeouts()).toBe(before + 1);
    monitor.stop();
    expect(countTimeouts()).toBe(before);
  });

  it('stops when disposed', () => {
    const before = countTimeouts();
    {
      using monitor = new ResourceMonitor({ intervalMs: 60_000 });
      monitor.start();
      expect(countTimeouts()).toBe(before + 1);
    }
    expect(countTimeouts()).toBe(before);
  });

  it('can be restarted after stop', () => {
    vi.useFakeTimers();
    const monitor = new ResourceMonitor({ intervalMs: 1_000 });
    monitor.start();
    vi.advanceTimersByTime(1_000);
    monitor.stop();
    monitor.start();
    vi.advanceTimersByTime(2_000);
    monitor.stop();
    expect(monitor.history()).toHaveLength(3);
  });
});

describe('ResourceMonitor thresholds', () => {
  it('fires once across a sustained breach (real rss against a tiny threshold)', () => {
    vi.useFakeTimers();
    const events: PressureEvent[] = [];
    const monitor = new ResourceMonitor({
      intervalMs: 1_000,
      thresholds: { rssBytes: 1 },
      onPressure: (e) => events.push(e),
    });
    monitor.start();
    vi.advanceTimersByTime(5_000);
    monitor.stop();
    expect(events).toHaveLength(1);
    expect(events[0]?.metric).toBe('rssBytes');
    expect(events[0]?.threshold).toBe(1);
    expect(events[0]?.value).toBeGreaterThan(1);
    expect(events[0]?.time).toBe(monitor.history()[0]?.time);
  });

  it('re-arms only after the metric drops back to or below the threshold', () => {
    vi.useFakeTimers({ now: 0 });
    const onPressure = vi.fn<(e: PressureEvent) => void>();
    const monitor = new ResourceMonitor({
      intervalMs: 1_000,
      thresholds: { heapUsedBytes: 100 },
      onPressure,
      read: replay('heapUsedBytes', [10, 200, 300, 150, 100, 500, 600]),
    });
    monitor.start();
    vi.advanceTimersByTime(7_000);
    monitor.stop();
    expect(onPressure.mock.calls.map(([e]) => e)).toEqual([
      { metric: 'heapUsedBytes', value: 200, threshold: 100, time: 2_000 },
      { metric: 'heapUsedBytes', value: 500, threshold: 100, time: 6_000 },
    ]);
  });

  it('tracks each metric separately and ignores readings without a value', () => {
    vi.useFakeTimers({ now: 0 });
    const onPressure = vi.fn<(e: PressureEvent) => void>();
    let fds: number | undefined = 50;
    let delay: ResourceSnapshot['eventLoopDelay'];
    const monitor = new ResourceMonitor({
      intervalMs: 1_000,
      thresholds: { openFds: 10, eventLoopDelayP99Ms: 100 },
      onPressure,
      read: () => ({ openFds: fds, eventLoopDelay: delay }),
    });
    monitor.start();
    vi.advanceTimersByTime(1_000); // openFds breaches; no delay data yet
    fds = undefined;
    delay = { p50Ms: 5, p99Ms: 250, maxMs: 300, meanMs: 10 };
    vi.advanceTimersByTime(1_000); // missing fds keeps its breach; delay breaches
    fds = 60;
    vi.advanceTimersByTime(1_000); // still breached: silent
    monitor.stop();
    expect(onPressure.mock.calls.map(([e]) => [e.metric, e.value])).toEqual([
      ['openFds', 50],
      ['eventLoopDelayP99Ms', 250],
    ]);
  });

  it('fires on active handles created and cleared between ticks', () => {
    vi.useFakeTimers();
    const onPressure = vi.fn<(e: PressureEvent) => void>();
    const base = process.getActiveResourcesInfo().length;
    const monitor = new ResourceMonitor({
      intervalMs: 1_000,
      // The monitor's own timer is fake here, so real resources stay at `base` until we add some.
      thresholds: { activeHandles: base + 2 },
      onPressure,
    });
    const open = () => {
      const t = [1, 2, 3, 4].map(() => setTimeoutReal(() => {}, 60_000));
      return () => {
        for (const x of t) clearTimeoutReal(x);
      };
    };
    monitor.start();
    try {
      vi.advanceTimersByTime(1_000);
      expect(onPressure).not.toHaveBeenCalled();
      let close = open();
      vi.advanceTimersByTime(2_000);
      expect(onPressure).toHaveBeenCalledTimes(1);
      close();
      vi.advanceTimersByTime(1_000);
      close = open();
      vi.advanceTimersByTime(1_000);
      close();
      expect(onPressure).toHaveBeenCalledTimes(2);
      expect(onPressure.mock.calls[0]?.[0].metric).toBe('activeHandles');
    } finally {
      monitor.stop();
    }
  });

  it('survives a throwing onPressure and reports it as a warning', () => {
    vi.useFakeTimers();
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const monitor = new ResourceMonitor({
      intervalMs: 1_000,
      thresholds: { rssBytes: 1, heapUsedBytes: 1 },
      onPressure: () => {
        throw new Error('listener bug');
      },
    });
    monitor.start();
    vi.advanceTimersByTime(3_000);
    monitor.stop();
    expect(monitor.history()).toHaveLength(3);
    // One per metric: the first throw did not hide the second metric's event.
    expect(emitWarning).toHaveBeenCalledTimes(2);
    expect(String(emitWarning.mock.calls[0]?.[0])).toContain('listener bug');
  });

  it('keeps ticking when a reading fails', () => {
    vi.useFakeTimers();
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    let fail = true;
    const monitor = new ResourceMonitor({
      intervalMs: 1_000,
      read: () => {
        if (fail) throw new Error('EMFILE');
        return {};
      },
    });
    monitor.start();
    vi.advanceTimersByTime(1_000);
    fail = false;
    vi.advanceTimersByTime(1_000);
    monitor.stop();
    expect(emitWarning).toHaveBeenCalledTimes(1);
    expect(monitor.history()).toHaveLength(1);
  });
});

describe('ResourceMonitor.gc', () => {
  const g = globalThis as { gc?: unknown };
  const original = Object.getOwnPropertyDescriptor(globalThis, 'gc');
  afterEach(() => {
    if (original === undefined) delete g.gc;
    else Object.defineProperty(globalThis, 'gc', original);
  });

  it('returns false when gc is not exposed', () => {
    delete g.gc;
    expect(new ResourceMonitor().gc()).toBe(false);
  });

  it('calls an exposed gc and returns true', () => {
    const gc = vi.fn();
    g.gc = gc;
    expect(new ResourceMonitor().gc()).toBe(true);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it('never throws', () => {
    g.gc = () => {
      throw new Error('boom');
    };
    expect(new ResourceMonitor().gc()).toBe(false);
  });
});

describe('ResourceMonitor options', () => {
  const invalid: [string, unknown][] = [
    ['intervalMs 0', { intervalMs: 0 }],
    ['intervalMs fractional', { intervalMs: 1.5 }],
    ['intervalMs too large', { intervalMs: 2 ** 31 }],
    ['historySize 0', { historySize: 0 }],
    ['historySize NaN', { historySize: Number.NaN }],
    ['negative threshold', { thresholds: { rssBytes: -1 } }],
    ['infinite threshold', { thresholds: { heapUsedBytes: Number.POSITIVE_INFINITY } }],
    ['string threshold', { thresholds: { openFds: '10' } }],
    ['unknown metric', { thresholds: { rss: 10 } }],
    ['thresholds not an object', { thresholds: 5 }],
    ['onPressure not a function', { onPressure: 'x' }],
    ['unknown option', { interval: 1_000 }],
    ['null options', null],
  ];

  it.each(invalid)('rejects %s with E_CONFIG_INVALID', (_name, options) => {
    let caught: unknown;
    try {
      new ResourceMonitor(options as ResourceMonitorOptions);
    } catch (error) {
      caught = error;
    }
    expect(isRigkitError(caught)).toBe(true);
    expect((caught as { code: string }).code).toBe('E_CONFIG_INVALID');
  });

  it('lists every issue by path', () => {
    expect(() => new ResourceMonitor({ intervalMs: -1, thresholds: { openFds: -1 } })).toThrow(
      expect.objectContaining({
        details: {
          issues: [
            { path: 'intervalMs', message: expect.any(String) },
            { path: 'thresholds.openFds', message: expect.any(String) },
          ],
        },
      }),
    );
  });

  it('accepts defaults, zero thresholds and explicit undefined', () => {
    expect(() => new ResourceMonitor()).not.toThrow();
    expect(
      () => new ResourceMonitor({ thresholds: { rssBytes: 0, openFds: undefined } }),
    ).not.toThrow();
  });
});

describe('helpers', () => {
  it('BoundedRing drops the oldest item and reports newest', () => {
    const ring = new BoundedRing<number>(3);
    expect(ring.toArray()).toEqual([]);
    expect(ring.newest()).toBeUndefined();
    for (let i = 1; i <= 7; i += 1) ring.push(i);
    expect(ring.toArray()).toEqual([5, 6, 7]);
    expect(ring.size).toBe(3);
    expect(ring.newest()).toBe(7);
    expect(() => new BoundedRing(0)).toThrow(RangeError);
  });

  it('readOpenFds degrades to undefined off Linux', () => {
    expect(readOpenFds('darwin')).toBeUndefined();
    expect(readOpenFds('win32')).toBeUndefined();
  });
});
