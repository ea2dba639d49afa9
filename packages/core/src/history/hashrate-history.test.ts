import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRigkitError } from '../errors/rigkit-error.js';
import {
  HashrateHistory,
  type HashrateHistoryOptions,
  type HashratePoint,
} from './hashrate-history.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// A minute-aligned wall-clock time (2023-11-14), so bucket starts are T0 + k minutes.
const T0 = 28_333_334 * MINUTE;

function expectConfigInvalid(fn: () => unknown, path: string): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(isRigkitError(caught), `expected a RigkitError for ${path}`).toBe(true);
  const error = caught as { code: string; details: { issues: { path: string }[] } };
  expect(error.code).toBe('E_CONFIG_INVALID');
  expect(error.details.issues.map((issue) => issue.path)).toContain(path);
}

function times(points: readonly HashratePoint[]): number[] {
  return points.map((point) => point.time);
}

/** Straightforward array-based model of the same contract, to check the ring arithmetic. */
class ReferenceHistory {
  readonly high: HashratePoint[] = [];
  readonly low: { bucket: number; sum: number; count: number; min: number; max: number }[] = [];
  open: { bucket: number; sum: number; count: number; min: number; max: number } | undefined;
  floor = 0;
  last = Number.NEGATIVE_INFINITY;
  dropped = 0;
  readonly #highCapacity: number;
  readonly #lowCapacity: number;
  readonly #bucketMs: number;
  readonly #windowMs: number;

  constructor(options: Required<HashrateHistoryOptions>) {
    this.#highCapacity = options.highResCapacity;
    this.#lowCapacity = options.lowResCapacity;
    this.#bucketMs = options.bucketMs;
    this.#windowMs = options.highResWindowMs;
  }

  append(time: number, hashrate: number | undefined): void {
    const bucket = Math.floor(time / this.#bucketMs);
    if (time < this.last || bucket < this.floor) {
      this.dropped += 1;
      return;
    }
    this.last = time;
    const value = hashrate !== undefined && Number.isFinite(hashrate) ? hashrate : Number.NaN;
    this.high.push({ time, hashrate: value });
    if (this.high.length > this.#highCapacity) this.high.shift();
    if (this.open?.bucket !== bucket) {
      this.#close();
      this.open = { bucket, sum: 0, count: 0, min: Infinity, max: -Infinity };
      this.floor = bucket;
    }
    if (!Number.isNaN(value)) {
      this.open.sum += value;
      this.open.count += 1;
      this.open.min = Math.min(this.open.min, value);
      this.open.max = Math.max(this.open.max, value);
    }
  }

  trim(now: number): void {
    if (this.open !== undefined && Math.floor(now / this.#bucketMs) > this.open.bucket) {
      this.#close();
    }
    const highCut = now - this.#windowMs;
    const lowCut = now - this.#lowCapacity * this.#bucketMs;
    this.high.splice(0, this.high.length, ...this.high.filter((p) => p.time >= highCut));
    this.low.splice(
      0,
      this.low.length,
      ...this.low.filter((b) => b.bucket * this.#bucketMs >= lowCut),
    );
  }

  lowPoints(): HashratePoint[] {
    const all = this.open === undefined ? this.low : [...this.low, this.open];
    return all.map((b) => ({
      time: b.bucket * this.#bucketMs,
      hashrate: b.count > 0 ? b.sum / b.count : Number.NaN,
      min: b.count > 0 ? Math.fround(b.min) : Number.NaN,
      max: b.count > 0 ? Math.fround(b.max) : Number.NaN,
    }));
  }

  #close(): void {
    if (this.open === undefined) return;
    this.low.push(this.open);
    if (this.low.length > this.#lowCapacity) this.low.shift();
    this.floor = this.open.bucket + 1;
    this.open = undefined;
  }
}

describe('HashrateHistory', () => {
  it('24 h of points at 10 s leaves exactly the bounded number of points', () => {
    const history = new HashrateHistory();
    const count = DAY / (10 * SECOND);
    expect(count).toBe(8640);
    for (let i = 0; i < count; i += 1) history.append(T0 + i * 10 * SECOND, 1_000_000 + (i % 7));

    // Before trim the last minute is still open: 1439 closed buckets + 1 partial in queries.
    expect(history.size).toEqual({ high: 30, low: 1439 });
    expect(history.query({ resolution: 'low' })).toHaveLength(1440);

    const now = T0 + DAY;
    history.trim(now);
    // trim closes the last minute; `size.low` counts closed buckets only.
    expect(history.size).toEqual({ high: 30, low: 1440 });
    const low = history.query({ resolution: 'low' });
    expect(low).toHaveLength(1440);
    expect(times(low)).toEqual(Array.from({ length: 1440 }, (_, k) => T0 + k * MINUTE));
    const high = history.query({ resolution: 'high' });
    expect(times(high)).toEqual(Array.from({ length: 30 }, (_, k) => now - 300_000 + k * 10_000));
    expect(history.latest()).toEqual({ time: now - 10 * SECOND, hashrate: 1_000_000 + (8639 % 7) });

    expect(history.byteLength).toBe(30 * 16 + 1440 * 20);
    expect(history.byteLength).toBe(HashrateHistory.bytesFor());
    expect(history.byteLength).toBeLessThanOrEqual(32 * 1024);

    // Another day on top only moves pointers: the sizes stay bounded.
    for (let i = 0; i < count; i += 1) history.append(now + i * 10 * SECOND, 2_000_000);
    history.trim(now + DAY);
    expect(history.size).toEqual({ high: 30, low: 1440 });
    expect(history.query({ resolution: 'low' })[0]).toEqual({
      time: now,
      hashrate: 2_000_000,
      min: 2_000_000,
      max: 2_000_000,
    });
  });

  it('computes average, min and max per minute across minute edges', () => {
    const history = new HashrateHistory();
    // Minute 0: 100, 200, 600 → avg 300, min 100, max 600.
    history.append(T0 + 0, 100);
    history.append(T0 + 25 * SECOND, 200);
    history.append(T0 + 59_999, 600);
    // Minute 1 starts exactly on the edge: 50, 150, 400 → avg 200, min 50, max 400.
    history.append(T0 + MINUTE, 50);
    history.append(T0 + MINUTE + 30 * SECOND, 150);
    history.append(T0 + MINUTE + 59 * SECOND, 400);
    // Minute 3 (minute 2 has no samples and gets no bucket): a single 7 → partial bucket.
    history.append(T0 + 3 * MINUTE + 1, 7);

    expect(history.size).toEqual({ high: 7, low: 2 });
    expect(history.query({ resolution: 'low' })).toEqual([
      { time: T0, hashrate: 300, min: 100, max: 600 },
      { time: T0 + MINUTE, hashrate: 200, min: 50, max: 400 },
      { time: T0 + 3 * MINUTE, hashrate: 7, min: 7, max: 7 },
    ]);
  });

  it('never creates two buckets for one minute when steps straddle edges (7 s / 13 s)', () => {
    const history = new HashrateHistory({ lowResCapacity: 1000 });
    const reference = new Map<number, number[]>();
    let time = T0 + 3 * SECOND;
    for (let i = 0; i < 2000; i += 1) {
      const value = 1000 + ((i * 37) % 101);
      history.append(time, value);
      const bucket = Math.floor(time / MINUTE);
      reference.set(bucket, [...(reference.get(bucket) ?? []), value]);
      time += i % 2 === 0 ? 7 * SECOND : 13 * SECOND;
    }
    history.trim(time + MINUTE);

    const low = history.query({ resolution: 'low' });
    const buckets = low.map((point) => point.time / MINUTE);
    expect(new Set(buckets).size).toBe(buckets.length);
    expect(buckets).toEqual([...reference.keys()]);
    for (const point of low) {
      const values = reference.get(point.time / MINUTE) ?? [];
      expect(point.hashrate).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
      expect(point.min).toBe(Math.min(...values));
      expect(point.max).toBe(Math.max(...values));
    }
    expect(history.droppedOutOfOrder).toBe(0);
  });

  it('drops and counts out-of-order points without touching closed buckets', () => {
    const history = new HashrateHistory();
    history.append(T0 + 10 * SECOND, 100);
    history.append(T0 + 30 * SECOND, 300);
    history.append(T0 + 20 * SECOND, 999_999); // older than the newest point
    expect(history.droppedOutOfOrder).toBe(1);

    history.append(T0 + MINUTE + 5 * SECOND, 500); // closes minute 0 at avg 200
    history.append(T0 + 50 * SECOND, 999_999); // minute 0 is closed
    expect(history.droppedOutOfOrder).toBe(2);

    history.trim(T0 + 2 * MINUTE); // closes minute 1 (miner went quiet)
    history.append(T0 + MINUTE + 50 * SECOND, 999_999); // newer than the last point, but minute 1 is closed
    expect(history.droppedOutOfOrder).toBe(3);

    history.append(T0 + 2 * MINUTE + 5 * SECOND, 700);
    expect(history.droppedOutOfOrder).toBe(3);
    expect(history.query({ resolution: 'low' })).toEqual([
      { time: T0, hashrate: 200, min: 100, max: 300 },
      { time: T0 + MINUTE, hashrate: 500, min: 500, max: 500 },
      { time: T0 + 2 * MINUTE, hashrate: 700, min: 700, max: 700 },
    ]);
    expect(times(history.query({ resolution: 'high' }))).toEqual([
      T0 + 10 * SECOND,
      T0 + 30 * SECOND,
      T0 + MINUTE + 5 * SECOND,
      T0 + 2 * MINUTE + 5 * SECOND,
    ]);
  });

  it('keeps unknown hashrates in high-res as NaN but leaves them out of averages', () => {
    const history = new HashrateHistory();
    history.append(T0, 100);
    history.append(T0 + 10 * SECOND, undefined);
    history.append(T0 + 20 * SECOND, Number.NaN);
    history.append(T0 + 30 * SECOND, Number.POSITIVE_INFINITY);
    history.append(T0 + 40 * SECOND, 300);
    // A minute with nothing but unknown samples still gets its (unknown) bucket.
    history.append(T0 + MINUTE, undefined);
    history.trim(T0 + 2 * MINUTE);

    expect(history.query({ resolution: 'high' }).map((p) => p.hashrate)).toEqual([
      100,
      Number.NaN,
      Number.NaN,
      Number.NaN,
      300,
      Number.NaN,
    ]);
    expect(history.latest()).toEqual({ time: T0 + MINUTE, hashrate: Number.NaN });
    expect(history.query({ resolution: 'low' })).toEqual([
      { time: T0, hashrate: 200, min: 100, max: 300 },
      { time: T0 + MINUTE, hashrate: Number.NaN, min: Number.NaN, max: Number.NaN },
    ]);
  });

  it('reads the open minute as a partial bucket that keeps its values when it closes', () => {
    const history = new HashrateHistory();
    // Not representable in float32: min/max are stored rounded, average is not.
    history.append(T0, 1_234_567.891);
    history.append(T0 + 10 * SECOND, 7_654_321.123);
    const open = history.query({ resolution: 'low' });
    expect(open).toEqual([
      {
        time: T0,
        hashrate: (1_234_567.891 + 7_654_321.123) / 2,
        min: Math.fround(1_234_567.891),
        max: Math.fround(7_654_321.123),
      },
    ]);
    history.trim(T0 + MINUTE);
    expect(history.size.low).toBe(1);
    expect(history.query({ resolution: 'low' })).toEqual(open);
  });

  it('trim records the open minute of a miner that stopped sampling', () => {
    const history = new HashrateHistory();
    history.append(T0 + 10 * SECOND, 40);
    history.append(T0 + 20 * SECOND, 60);
    history.trim(T0 + 50 * SECOND); // same minute: stays open
    expect(history.size.low).toBe(0);
    history.trim(T0 + MINUTE);
    expect(history.size).toEqual({ high: 2, low: 1 });
    expect(history.query({ resolution: 'low' })).toEqual([
      { time: T0, hashrate: 50, min: 40, max: 60 },
    ]);
  });

  it('trim after a long stop empties both rings, and the history keeps working', () => {
    const history = new HashrateHistory();
    for (let i = 0; i < 360; i += 1) history.append(T0 + i * 10 * SECOND, 1000 + i);
    const stoppedAt = T0 + 359 * 10 * SECOND;

    history.trim(stoppedAt + 3 * HOUR);
    expect(history.size).toEqual({ high: 0, low: 60 }); // 1 h of buckets is still within 24 h
    expect(history.latest()).toBeUndefined();

    history.trim(stoppedAt + 30 * HOUR);
    expect(history.size).toEqual({ high: 0, low: 0 });
    expect(history.query({ resolution: 'low' })).toEqual([]);
    expect(history.query({ resolution: 'high' })).toEqual([]);

    const restart = stoppedAt + 30 * HOUR + 15 * SECOND; // 5 s into a minute
    history.append(restart, 5);
    history.append(restart + 10 * SECOND, 15);
    expect(history.latest()).toEqual({ time: restart + 10 * SECOND, hashrate: 15 });
    expect(history.query({ resolution: 'low' })).toEqual([
      { time: Math.floor(restart / MINUTE) * MINUTE, hashrate: 10, min: 5, max: 15 },
    ]);
    expect(history.droppedOutOfOrder).toBe(0);
  });

  it('matches an array-based model through many wrap-arounds, drops and trims', () => {
    type Op =
      | { kind: 'append'; step: number; value: number | undefined }
      | { kind: 'trim'; ahead: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          kind: fc.constant('append' as const),
          step: fc.integer({ min: -20_000, max: 90_000 }),
          value: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('trim' as const),
          ahead: fc.oneof(fc.integer({ min: -30_000, max: 120_000 }), fc.constant(2 * DAY)),
        }),
      },
    );
    fc.assert(
      fc.property(
        fc.record({
          highResCapacity: fc.integer({ min: 1, max: 7 }),
          lowResCapacity: fc.integer({ min: 1, max: 5 }),
          bucketMs: fc.constantFrom(1000, 15_000, 60_000),
          highResWindowMs: fc.integer({ min: 1, max: 200_000 }),
        }),
        fc.array(op, { minLength: 1, maxLength: 300 }),
        (options, ops) => {
          const history = new HashrateHistory(options);
          const reference = new ReferenceHistory(options);
          let time = T0;
          for (const step of ops) {
            if (step.kind === 'append') {
              time += step.step;
              history.append(time, step.value);
              reference.append(time, step.value);
              // The model sees the dropped point too; only advance the clock for kept ones.
              if (step.step < 0) time -= step.step;
            } else {
              history.trim(time + step.ahead);
              reference.trim(time + step.ahead);
            }
            expect(history.size).toEqual({
              high: reference.high.length,
              low: reference.low.length,
            });
          }
          expect(history.droppedOutOfOrder).toBe(reference.dropped);
          expect(history.query({ resolution: 'high' })).toEqual(reference.high);
          expect(history.query({ resolution: 'low' })).toEqual(reference.lowPoints());
          expect(history.latest()).toEqual(reference.high.at(-1));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('query returns only the inclusive range asked, on both resolutions', () => {
    const history = new HashrateHistory();
    for (let i = 0; i < 60; i += 1) history.append(T0 + i * 10 * SECOND, i);
    // High-res holds i = 30..59 (T0+5min .. T0+9min50s); low-res minutes 0..8 closed + 9 open.
    const from = T0 + 6 * MINUTE;
    const to = T0 + 7 * MINUTE;
    expect(times(history.query({ from, to, resolution: 'high' }))).toEqual(
      Array.from({ length: 7 }, (_, k) => from + k * 10 * SECOND),
    );
    expect(history.query({ from, to, resolution: 'low' })).toEqual([
      { time: T0 + 6 * MINUTE, hashrate: 38.5, min: 36, max: 41 },
      { time: T0 + 7 * MINUTE, hashrate: 44.5, min: 42, max: 47 },
    ]);
    // Bucket times are bucket starts: a range inside one minute holds no bucket.
    expect(history.query({ from: from + 1, to: to - 1, resolution: 'low' })).toEqual([]);
    // The open bucket is included when its start is in range.
    expect(history.query({ from: T0 + 9 * MINUTE, resolution: 'low' })).toEqual([
      { time: T0 + 9 * MINUTE, hashrate: 56.5, min: 54, max: 59 },
    ]);
    expect(history.query({ to: T0 + MINUTE, resolution: 'low' })).toHaveLength(2);
    expect(history.query({ from: to, to: from })).toEqual([]);
  });

  it('auto resolution reads high-res only when the range fits in the high-res window', () => {
    const history = new HashrateHistory();
    for (let i = 0; i < 360; i += 1) history.append(T0 + i * 10 * SECOND, 1000);
    const newest = T0 + 359 * 10 * SECOND;

    const recent = history.query({ from: newest - 5 * MINUTE });
    expect(recent).toHaveLength(30);
    expect(recent[0]).not.toHaveProperty('min');

    const older = history.query({ from: newest - 5 * MINUTE - 1 });
    expect(older.every((point) => point.min !== undefined)).toBe(true);
    expect(older.length).toBeLessThan(30);
    expect(history.query({})).toHaveLength(60);
    expect(history.query({ from: newest - HOUR })).toHaveLength(60);

    // Once high-res is trimmed empty, auto falls back to the buckets.
    history.trim(newest + 10 * MINUTE);
    expect(history.query({ from: newest - MINUTE })).toEqual([
      { time: T0 + 59 * MINUTE, hashrate: 1000, min: 1000, max: 1000 },
    ]);
  });

  it('maxPoints merges adjacent points by averaging', () => {
    const history = new HashrateHistory();
    for (const [i, value] of [10, 20, 30, 50, Number.NaN].entries()) {
      history.append(T0 + i * 10 * SECOND, value);
    }
    expect(history.query({ resolution: 'high', maxPoints: 2 })).toEqual([
      { time: T0, hashrate: 20, min: 10, max: 30 },
      { time: T0 + 30 * SECOND, hashrate: 50, min: 50, max: 50 },
    ]);
    expect(history.query({ resolution: 'high', maxPoints: 5 })).toHaveLength(5);
    expect(history.query({ resolution: 'high', maxPoints: 1 })).toEqual([
      { time: T0, hashrate: 27.5, min: 10, max: 50 },
    ]);
  });

  it('maxPoints is never exceeded, and merged points stay sorted and in range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.integer({ min: 0, max: 1 << 20 }), { nil: undefined }), {
          maxLength: 400,
        }),
        fc.integer({ min: 1, max: 450 }),
        fc.constantFrom('high' as const, 'low' as const, 'auto' as const),
        fc.option(fc.integer({ min: -1, max: 4100 }), { nil: undefined }),
        fc.option(fc.integer({ min: -1, max: 4100 }), { nil: undefined }),
        (values, maxPoints, resolution, fromStep, toStep) => {
          const history = new HashrateHistory({ highResCapacity: 200, lowResCapacity: 60 });
          for (const [i, value] of values.entries()) history.append(T0 + i * 7 * SECOND, value);
          const from = fromStep === undefined ? undefined : T0 + fromStep * 7 * SECOND;
          const to = toStep === undefined ? undefined : T0 + toStep * 7 * SECOND;
          const full = history.query({ from, to, resolution });
          const capped = history.query({ from, to, resolution, maxPoints });

          expect(capped.length).toBeLessThanOrEqual(maxPoints);
          if (full.length <= maxPoints) expect(capped).toEqual(full);
          else expect(capped.length).toBeGreaterThan(0);
          for (const [i, point] of capped.entries()) {
            if (from !== undefined) expect(point.time).toBeGreaterThanOrEqual(from);
            if (to !== undefined) expect(point.time).toBeLessThanOrEqual(to);
            if (i > 0) expect(point.time).toBeGreaterThan((capped[i - 1] as HashratePoint).time);
            if (!Number.isNaN(point.hashrate) && point.min !== undefined) {
              expect(point.hashrate).toBeGreaterThanOrEqual(point.min);
              expect(point.hashrate).toBeLessThanOrEqual(point.max as number);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rejects bad options with E_CONFIG_INVALID', () => {
    const bad: [keyof HashrateHistoryOptions, unknown][] = [
      ['highResCapacity', 0],
      ['highResCapacity', -1],
      ['highResCapacity', 1.5],
      ['highResCapacity', Number.NaN],
      ['highResCapacity', Number.POSITIVE_INFINITY],
      ['highResCapacity', '30'],
      ['highResCapacity', 1_000_001],
      ['lowResCapacity', 0],
      ['lowResCapacity', 2_000_000],
      ['lowResCapacity', null],
      ['bucketMs', 0],
      ['bucketMs', 0.5],
      ['highResWindowMs', -300_000],
    ];
    for (const [key, value] of bad) {
      const options = { [key]: value } as HashrateHistoryOptions;
      expectConfigInvalid(() => new HashrateHistory(options), key);
      expectConfigInvalid(() => HashrateHistory.bytesFor(options), key);
    }
    // Every issue is reported, not just the first.
    expect(() => new HashrateHistory({ highResCapacity: 0, bucketMs: -1 })).toThrow(
      /highResCapacity.*bucketMs/,
    );
    expect(new HashrateHistory({ highResCapacity: 1_000_000, lowResCapacity: 1 }).size).toEqual({
      high: 0,
      low: 0,
    });
  });

  it('rejects invalid sample times, trim times and query options', () => {
    const history = new HashrateHistory();
    expectConfigInvalid(() => history.append(Number.NaN, 1), 'time');
    expectConfigInvalid(() => history.append(-1, 1), 'time');
    expectConfigInvalid(() => history.append(2 ** 32 * MINUTE, 1), 'time');
    expectConfigInvalid(() => history.trim(Number.NaN), 'now');
    expectConfigInvalid(() => history.query({ maxPoints: 0 }), 'maxPoints');
    expectConfigInvalid(() => history.query({ maxPoints: 2.5 }), 'maxPoints');
    expectConfigInvalid(() => history.query({ from: Number.NaN }), 'from');
    expectConfigInvalid(() => history.query({ resolution: 'medium' as 'low' }), 'resolution');
    expect(history.size).toEqual({ high: 0, low: 0 });
  });

  it('clear forgets points, the open bucket, the watermark and the dropped count', () => {
    const history = new HashrateHistory();
    history.append(T0 + MINUTE, 1);
    history.append(T0 + 2 * MINUTE, 2);
    history.append(T0, 3);
    expect(history.droppedOutOfOrder).toBe(1);
    history.clear();
    expect(history.size).toEqual({ high: 0, low: 0 });
    expect(history.droppedOutOfOrder).toBe(0);
    expect(history.latest()).toBeUndefined();
    expect(history.query({ resolution: 'low' })).toEqual([]);
    history.append(T0, 3); // earlier than before clear(): accepted again
    expect(history.query({ resolution: 'low' })).toEqual([
      { time: T0, hashrate: 3, min: 3, max: 3 },
    ]);
  });

  it('byteLength is exact for custom capacities', () => {
    const options = { highResCapacity: 100, lowResCapacity: 7 * 1440 };
    const history = new HashrateHistory(options);
    expect(history.byteLength).toBe(100 * 16 + 7 * 1440 * 20);
    expect(HashrateHistory.bytesFor(options)).toBe(history.byteLength);
  });
});
