import { RigkitError } from '../errors/rigkit-error.js';

const DEFAULT_HIGH_RES_CAPACITY = 30;
const DEFAULT_HIGH_RES_INTERVAL_MS = 10_000;
const DEFAULT_LOW_RES_CAPACITY = 1440;
const DEFAULT_BUCKET_MS = 60_000;
const MAX_CAPACITY = 1_000_000;
// Bucket indices live in a Uint32Array, so a time whose bucket index needs more than 32 bits
// cannot be stored without silently wrapping.
const BUCKET_INDEX_LIMIT = 2 ** 32;

// Bytes per slot: high-res = time (f64) + hashrate (f64); low-res = bucket index (u32) +
// average (f64) + min (f32) + max (f32).
const HIGH_RES_SLOT_BYTES = 8 + 8;
const LOW_RES_SLOT_BYTES = 4 + 8 + 4 + 4;

/** Options of {@link HashrateHistory}. Every value is validated; see the constructor. */
export interface HashrateHistoryOptions {
  /** Points kept in the high-resolution ring. Default 30 (5 min of 10 s samples). */
  highResCapacity?: number;
  /**
   * How far back from `trim(now)` high-resolution points are kept, in ms. Defaults to
   * `highResCapacity × 10 s` (300 000 for the defaults), i.e. capacity × the expected sample
   * interval.
   */
  highResWindowMs?: number;
  /** Buckets kept in the low-resolution ring. Default 1440 (24 h of 1 min buckets). */
  lowResCapacity?: number;
  /** Width of a low-resolution bucket, in ms. Default 60 000. */
  bucketMs?: number;
}

/** Which ring {@link HashrateHistory.query} reads. `auto` picks by the requested range. */
export type HashrateResolution = 'high' | 'low' | 'auto';

/** Arguments of {@link HashrateHistory.query}. */
export interface HashrateHistoryQuery {
  /** Earliest point time (ms, inclusive). Omitted: from the oldest point kept. */
  from?: number;
  /** Latest point time (ms, inclusive). Omitted: up to the newest point. */
  to?: number;
  /** Default `auto`: `high` when `from` lies within the high-res window, else `low`. */
  resolution?: HashrateResolution;
  /** Upper bound on the number of points returned; adjacent points are averaged to fit. */
  maxPoints?: number;
}

/**
 * One point of history. Hashrates are H/s; `NaN` means "unknown" (the miner answered but
 * reported no hashrate, or no known sample fell in the bucket).
 */
export interface HashratePoint {
  /** Sample time, or the start of the bucket / averaged group, in ms. */
  time: number;
  /** Hashrate (H/s), or the average of the known hashrates in the bucket or group. */
  hashrate: number;
  /** Lowest known hashrate in the bucket or group; absent on raw high-res points. */
  min?: number;
  /** Highest known hashrate in the bucket or group; absent on raw high-res points. */
  max?: number;
}

/** Number of entries in each ring; `low` counts closed buckets, not the open minute. */
export interface HashrateHistorySize {
  high: number;
  low: number;
}

interface ResolvedOptions {
  highResCapacity: number;
  highResWindowMs: number;
  lowResCapacity: number;
  bucketMs: number;
}

interface Issue {
  path: string;
  message: string;
}

function invalid(subject: string, issues: Issue[]): RigkitError {
  const list = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  // Same message and details shape as the other option errors, so the server and CLI can
  // report every problem by path without knowing where it came from.
  return new RigkitError('E_CONFIG_INVALID', `invalid ${subject}: ${list}`, {
    details: { issues },
  });
}

function invalidTime(time: number): RigkitError {
  return invalid('hashrate history sample', [
    { path: 'time', message: `must be a time in ms ≥ 0, got ${String(time)}` },
  ]);
}

function resolveOptions(options: HashrateHistoryOptions | undefined): ResolvedOptions {
  const input: HashrateHistoryOptions = options ?? {};
  const issues: Issue[] = [];
  const read = (key: keyof HashrateHistoryOptions, fallback: number, max: number): number => {
    const value = input[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      issues.push({ path: key, message: `must be a positive integer, got ${String(value)}` });
    } else if (value > max) {
      issues.push({ path: key, message: `must be at most ${max}, got ${value}` });
    }
    return value;
  };
  const highResCapacity = read('highResCapacity', DEFAULT_HIGH_RES_CAPACITY, MAX_CAPACITY);
  const lowResCapacity = read('lowResCapacity', DEFAULT_LOW_RES_CAPACITY, MAX_CAPACITY);
  const bucketMs = read('bucketMs', DEFAULT_BUCKET_MS, Number.MAX_SAFE_INTEGER);
  const highResWindowMs = read(
    'highResWindowMs',
    highResCapacity * DEFAULT_HIGH_RES_INTERVAL_MS,
    Number.MAX_SAFE_INTEGER,
  );
  if (issues.length > 0) throw invalid('hashrate history options', issues);
  return { highResCapacity, highResWindowMs, lowResCapacity, bucketMs };
}

/**
 * Bounded per-miner hashrate history: a high-resolution ring of raw samples (default 30
 * points, 5 min at 10 s) that rolls up into a low-resolution ring of bucket averages with
 * min and max (default 1440 one-minute buckets, 24 h).
 *
 * Memory is fixed at construction — every ring is a preallocated typed array and nothing
 * grows afterwards, so no cleanup timer is needed. Cost per miner is
 * `highResCapacity × 16 + lowResCapacity × 20` bytes: 29 280 B (≈ 28.6 KiB) for the
 * defaults. See {@link HashrateHistory.bytesFor}.
 *
 * The class never reads a clock: every time comes from the caller, in ms since the epoch.
 * Points must arrive in time order; see {@link HashrateHistory.append}.
 *
 * @example
 * const history = new HashrateHistory();
 * history.append(now, sample.hashrate.h10s);
 * history.trim(now);
 * history.query({ from: now - 3_600_000, maxPoints: 120 });
 */
export class HashrateHistory {
  readonly #highResCapacity: number;
  readonly #highResWindowMs: number;
  readonly #lowResCapacity: number;
  readonly #bucketMs: number;
  readonly #timeLimit: number;

  readonly #highTime: Float64Array;
  readonly #highRate: Float64Array;
  #highHead = 0;
  #highCount = 0;

  readonly #lowBucket: Uint32Array;
  readonly #lowAvg: Float64Array;
  // Float32 halves the cost of min/max; ~7 significant digits is plenty for a chart band.
  readonly #lowMin: Float32Array;
  readonly #lowMax: Float32Array;
  #lowHead = 0;
  #lowCount = 0;

  // The open bucket is a running aggregate rather than a ring slot, so a bucket is written
  // exactly once, when it is complete, and a closed bucket is never touched again.
  #openBucket = -1;
  #openSum = 0;
  #openCount = 0;
  #openMin = Number.POSITIVE_INFINITY;
  #openMax = Number.NEGATIVE_INFINITY;
  // Lowest bucket index that may still receive points: the open bucket, or the one after
  // the last closed bucket. Guards against a second bucket for an already-closed minute.
  #floorBucket = 0;
  #lastTime = Number.NEGATIVE_INFINITY;
  #droppedOutOfOrder = 0;

  /**
   * Allocates both rings up front; does no I/O and starts no timer.
   *
   * @throws {RigkitError} `E_CONFIG_INVALID` when a capacity, `bucketMs` or
   *   `highResWindowMs` is not a positive integer, or a capacity exceeds 1 000 000.
   *   `details.issues` lists every problem by option name.
   */
  constructor(options: HashrateHistoryOptions = {}) {
    const resolved = resolveOptions(options);
    this.#highResCapacity = resolved.highResCapacity;
    this.#highResWindowMs = resolved.highResWindowMs;
    this.#lowResCapacity = resolved.lowResCapacity;
    this.#bucketMs = resolved.bucketMs;
    this.#timeLimit = BUCKET_INDEX_LIMIT * resolved.bucketMs;
    this.#highTime = new Float64Array(resolved.highResCapacity);
    this.#highRate = new Float64Array(resolved.highResCapacity);
    this.#lowBucket = new Uint32Array(resolved.lowResCapacity);
    this.#lowAvg = new Float64Array(resolved.lowResCapacity);
    this.#lowMin = new Float32Array(resolved.lowResCapacity);
    this.#lowMax = new Float32Array(resolved.lowResCapacity);
  }

  /**
   * Exact bytes of typed-array storage a history with these options allocates:
   * `highResCapacity × 16 + lowResCapacity × 20` (29 280 for the defaults).
   *
   * @throws {RigkitError} `E_CONFIG_INVALID` for the same options the constructor rejects.
   */
  static bytesFor(options: HashrateHistoryOptions = {}): number {
    const { highResCapacity, lowResCapacity } = resolveOptions(options);
    return highResCapacity * HIGH_RES_SLOT_BYTES + lowResCapacity * LOW_RES_SLOT_BYTES;
  }

  /** Exact bytes held by this history's typed arrays; equals {@link HashrateHistory.bytesFor}. */
  get byteLength(): number {
    return (
      this.#highTime.byteLength +
      this.#highRate.byteLength +
      this.#lowBucket.byteLength +
      this.#lowAvg.byteLength +
      this.#lowMin.byteLength +
      this.#lowMax.byteLength
    );
  }

  /** Entries currently held: raw high-res points and closed low-res buckets. */
  get size(): HashrateHistorySize {
    return { high: this.#highCount, low: this.#lowCount };
  }

  /**
   * Points rejected by {@link HashrateHistory.append} because they were older than the
   * newest accepted point or fell in an already-closed bucket.
   */
  get droppedOutOfOrder(): number {
    return this.#droppedOutOfOrder;
  }

  /**
   * Records one sample. O(1) and allocation-free: it writes one high-res slot and folds the
   * value into the open bucket, closing that bucket into the low-res ring when `time` is in a
   * later one.
   *
   * A point older than the newest accepted point, or in a bucket already closed (by a later
   * point or by {@link HashrateHistory.trim}), is dropped and counted in
   * {@link HashrateHistory.droppedOutOfOrder}: accepting it would unsort the high-res ring or
   * create a second bucket for the same minute.
   *
   * @param time Sample time in ms since the epoch.
   * @param hashrate H/s. `undefined`, `NaN` or ±Infinity mean "unknown": stored as `NaN` in
   *   the high-res ring and left out of averages, min and max.
   * @throws {RigkitError} `E_CONFIG_INVALID` when `time` is not a number ≥ 0 whose bucket
   *   index fits in 32 bits (any real clock reading does).
   */
  append(time: number, hashrate: number | undefined): void {
    // Cold paths live in other functions to keep this one under V8's inlining budget (460
    // bytes of bytecode): a caller that cannot inline it boxes each epoch-ms `time` (not a
    // Smi) into a fresh 16-byte HeapNumber per call.
    // Negated so NaN fails too.
    if (!(time >= 0 && time < this.#timeLimit)) throw invalidTime(time);
    const bucket = Math.floor(time / this.#bucketMs);
    if (time < this.#lastTime || bucket < this.#floorBucket) {
      this.#droppedOutOfOrder += 1;
      return;
    }
    this.#lastTime = time;

    const value = typeof hashrate === 'number' && Number.isFinite(hashrate) ? hashrate : Number.NaN;

    const capacity = this.#highResCapacity;
    let slot = this.#highHead + this.#highCount;
    if (slot >= capacity) slot -= capacity;
    if (this.#highCount === capacity) {
      this.#highHead = this.#highHead + 1 === capacity ? 0 : this.#highHead + 1;
    } else {
      this.#highCount += 1;
    }
    this.#highTime[slot] = time;
    this.#highRate[slot] = value;

    if (bucket !== this.#openBucket) this.#openNewBucket(bucket);
    if (!Number.isNaN(value)) {
      this.#openSum += value;
      this.#openCount += 1;
      if (value < this.#openMin) this.#openMin = value;
      if (value > this.#openMax) this.#openMax = value;
    }
  }

  /**
   * Drops what has aged out, relative to `now` (ms): high-res points older than
   * `now − highResWindowMs` and low-res buckets starting before
   * `now − lowResCapacity × bucketMs`. First closes the open bucket when `now` is past it, so
   * the last minute of a miner that stopped sampling is still recorded.
   *
   * Only ring pointers move (a binary search finds the cut), so trimming a ring of any size
   * costs O(log capacity) and never allocates.
   *
   * @throws {RigkitError} `E_CONFIG_INVALID` when `now` is not a finite number.
   */
  trim(now: number): void {
    if (!Number.isFinite(now)) {
      throw invalid('hashrate history trim', [
        { path: 'now', message: `must be a finite time in ms, got ${String(now)}` },
      ]);
    }
    if (this.#openBucket >= 0 && Math.floor(now / this.#bucketMs) > this.#openBucket) {
      this.#closeOpenBucket();
    }

    const highDrop = this.#highLowerBound(now - this.#highResWindowMs);
    this.#highHead = (this.#highHead + highDrop) % this.#highResCapacity;
    this.#highCount -= highDrop;

    // A bucket is aged out when its start is; `start ≥ cutoff` ⇔ `index ≥ ceil(cutoff / bucketMs)`.
    const lowCutoff = now - this.#lowResCapacity * this.#bucketMs;
    const lowDrop = this.#lowLowerBound(Math.ceil(lowCutoff / this.#bucketMs));
    this.#lowHead = (this.#lowHead + lowDrop) % this.#lowResCapacity;
    this.#lowCount -= lowDrop;
  }

  /**
   * Points in `[from, to]`, oldest first.
   *
   * High-res points are the raw samples. Low-res points are bucket averages with `min` and
   * `max`, stamped with the bucket start; the open bucket is included as a partial bucket so
   * the newest minute does not lag. `auto` (the default) reads high-res when `from` is within
   * `highResWindowMs` of the newest high-res point, and low-res otherwise.
   *
   * With `maxPoints`, runs of adjacent points are merged into one (time of the first,
   * average of the known hashrates, min of mins, max of maxes) so the result never exceeds
   * `maxPoints`. Low-res buckets are averaged unweighted: bucket sample counts are not kept.
   *
   * @throws {RigkitError} `E_CONFIG_INVALID` for a non-numeric `from`/`to`, an unknown
   *   `resolution` or a `maxPoints` that is not a positive integer.
   */
  query(query: HashrateHistoryQuery = {}): HashratePoint[] {
    const { from, to, resolution = 'auto', maxPoints } = query;
    const issues: Issue[] = [];
    if (from !== undefined && (typeof from !== 'number' || Number.isNaN(from))) {
      issues.push({ path: 'from', message: `must be a time in ms, got ${String(from)}` });
    }
    if (to !== undefined && (typeof to !== 'number' || Number.isNaN(to))) {
      issues.push({ path: 'to', message: `must be a time in ms, got ${String(to)}` });
    }
    if (resolution !== 'auto' && resolution !== 'high' && resolution !== 'low') {
      issues.push({
        path: 'resolution',
        message: `must be "high", "low" or "auto", got ${String(resolution)}`,
      });
    }
    if (
      maxPoints !== undefined &&
      (typeof maxPoints !== 'number' || !Number.isSafeInteger(maxPoints) || maxPoints <= 0)
    ) {
      issues.push({
        path: 'maxPoints',
        message: `must be a positive integer, got ${String(maxPoints)}`,
      });
    }
    if (issues.length > 0) throw invalid('hashrate history query', issues);

    const start = from ?? Number.NEGATIVE_INFINITY;
    const end = to ?? Number.POSITIVE_INFINITY;
    if (start > end) return [];
    const points =
      this.#pickResolution(resolution, from) === 'high'
        ? this.#queryHigh(start, end)
        : this.#queryLow(start, end);
    return maxPoints === undefined ? points : downsample(points, maxPoints);
  }

  /** The newest high-res point, or `undefined` when the ring is empty (or trimmed empty). */
  latest(): HashratePoint | undefined {
    if (this.#highCount === 0) return undefined;
    const slot = (this.#highHead + this.#highCount - 1) % this.#highResCapacity;
    return { time: this.#highTime[slot] as number, hashrate: this.#highRate[slot] as number };
  }

  /**
   * Forgets everything, including the open bucket, the out-of-order watermark and the
   * dropped count, as if freshly constructed. Keeps the allocated arrays.
   */
  clear(): void {
    this.#highHead = 0;
    this.#highCount = 0;
    this.#lowHead = 0;
    this.#lowCount = 0;
    this.#resetOpenBucket();
    this.#openBucket = -1;
    this.#floorBucket = 0;
    this.#lastTime = Number.NEGATIVE_INFINITY;
    this.#droppedOutOfOrder = 0;
  }

  #openNewBucket(bucket: number): void {
    if (this.#openBucket >= 0) this.#closeOpenBucket();
    this.#openBucket = bucket;
    this.#floorBucket = bucket;
  }

  #closeOpenBucket(): void {
    const capacity = this.#lowResCapacity;
    let slot = this.#lowHead + this.#lowCount;
    if (slot >= capacity) slot -= capacity;
    if (this.#lowCount === capacity) {
      this.#lowHead = this.#lowHead + 1 === capacity ? 0 : this.#lowHead + 1;
    } else {
      this.#lowCount += 1;
    }
    const known = this.#openCount > 0;
    this.#lowBucket[slot] = this.#openBucket;
    this.#lowAvg[slot] = known ? this.#openSum / this.#openCount : Number.NaN;
    this.#lowMin[slot] = known ? this.#openMin : Number.NaN;
    this.#lowMax[slot] = known ? this.#openMax : Number.NaN;
    this.#floorBucket = this.#openBucket + 1;
    this.#openBucket = -1;
    this.#resetOpenBucket();
  }

  #resetOpenBucket(): void {
    this.#openSum = 0;
    this.#openCount = 0;
    this.#openMin = Number.POSITIVE_INFINITY;
    this.#openMax = Number.NEGATIVE_INFINITY;
  }

  #pickResolution(resolution: HashrateResolution, from: number | undefined): 'high' | 'low' {
    if (resolution !== 'auto') return resolution;
    if (from === undefined || this.#highCount === 0) return 'low';
    // Anchored on the newest point rather than on the oldest one kept: a "last 5 min" query
    // must pick high-res even though the ring's oldest point is one interval younger.
    const newest = (this.#highHead + this.#highCount - 1) % this.#highResCapacity;
    return from >= (this.#highTime[newest] as number) - this.#highResWindowMs ? 'high' : 'low';
  }

  #queryHigh(from: number, to: number): HashratePoint[] {
    const points: HashratePoint[] = [];
    const capacity = this.#highResCapacity;
    for (let i = this.#highLowerBound(from); i < this.#highCount; i += 1) {
      const slot = (this.#highHead + i) % capacity;
      const time = this.#highTime[slot] as number;
      if (time > to) break;
      points.push({ time, hashrate: this.#highRate[slot] as number });
    }
    return points;
  }

  #queryLow(from: number, to: number): HashratePoint[] {
    const points: HashratePoint[] = [];
    const capacity = this.#lowResCapacity;
    const bucketMs = this.#bucketMs;
    for (let i = this.#lowLowerBound(Math.ceil(from / bucketMs)); i < this.#lowCount; i += 1) {
      const slot = (this.#lowHead + i) % capacity;
      const time = (this.#lowBucket[slot] as number) * bucketMs;
      if (time > to) break;
      points.push({
        time,
        hashrate: this.#lowAvg[slot] as number,
        min: this.#lowMin[slot] as number,
        max: this.#lowMax[slot] as number,
      });
    }
    if (this.#openBucket >= 0) {
      const time = this.#openBucket * bucketMs;
      if (time >= from && time <= to) {
        const known = this.#openCount > 0;
        // Rounded like a closed bucket, so a point does not change value when its bucket closes.
        points.push({
          time,
          hashrate: known ? this.#openSum / this.#openCount : Number.NaN,
          min: known ? Math.fround(this.#openMin) : Number.NaN,
          max: known ? Math.fround(this.#openMax) : Number.NaN,
        });
      }
    }
    return points;
  }

  /** Logical index of the first high-res point with `time ≥ target` (count when none). */
  #highLowerBound(target: number): number {
    let lo = 0;
    let hi = this.#highCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#highTime[(this.#highHead + mid) % this.#highResCapacity] as number) < target) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Logical index of the first closed bucket with `index ≥ target` (count when none). */
  #lowLowerBound(target: number): number {
    let lo = 0;
    let hi = this.#lowCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#lowBucket[(this.#lowHead + mid) % this.#lowResCapacity] as number) < target) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}

function downsample(points: HashratePoint[], maxPoints: number): HashratePoint[] {
  const total = points.length;
  if (total <= maxPoints) return points;
  // ceil(total / group) ≤ maxPoints whenever group ≥ total / maxPoints.
  const group = Math.ceil(total / maxPoints);
  const merged: HashratePoint[] = [];
  for (let first = 0; first < total; first += group) {
    const last = Math.min(first + group, total);
    let sum = 0;
    let known = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = first; i < last; i += 1) {
      const point = points[i] as HashratePoint;
      if (!Number.isNaN(point.hashrate)) {
        sum += point.hashrate;
        known += 1;
      }
      const low = point.min ?? point.hashrate;
      const high = point.max ?? point.hashrate;
      if (low < min) min = low;
      if (high > max) max = high;
    }
    merged.push({
      time: (points[first] as HashratePoint).time,
      hashrate: known > 0 ? sum / known : Number.NaN,
      min: min === Number.POSITIVE_INFINITY ? Number.NaN : min,
      max: max === Number.NEGATIVE_INFINITY ? Number.NaN : max,
    });
  }
  return merged;
}
