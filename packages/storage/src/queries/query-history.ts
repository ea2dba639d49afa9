import { type Kysely, sql } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import { HOUR_MS, MINUTE_MS } from '../rollup/rollup-tiers.js';
import type { RigkitDatabase } from '../schema/rigkit-database.js';
import {
  type HistoryPlan,
  type HistoryResolution,
  type HistoryTier,
  planHistory,
} from './history-source.js';
import { QueryTemplate, template } from './query-template.js';

/** One point of a history answer: a bucket (or, at `raw` resolution, one sample). */
export interface HistoryPoint {
  /** Start of the bucket (or the sample's time), ms since the epoch; always inside the range. */
  time: number;
  /** Mean hashrate, H/s; `null` when no sample in the bucket had one. */
  hashrate: number | null;
  min: number | null;
  max: number | null;
  /** Samples with a hashrate behind this point. */
  samples: number;
  /** Shares accepted / rejected during the bucket. */
  accepted: number;
  rejected: number;
}

/** What `history()` answers. */
export interface HistoryResult {
  minerId: string;
  from: number;
  to: number;
  /** The tier the points were read from. */
  resolution: HistoryResolution;
  /** Width of each point, ms (the nominal sample interval at `raw`). */
  stepMs: number;
  /** Oldest first; never more than the `maxPoints` asked for. */
  points: HistoryPoint[];
}

/** What a history read needs to know besides its arguments. */
export interface HistoryContext {
  now: number;
  tiers: readonly HistoryTier[];
  watermarks: { minute: number | undefined; hour: number | undefined };
  /** The miner's key if the writer already knows it (saves a lookup per read). */
  cachedKey: (minerId: string) => number | undefined;
  file: string | undefined;
}

type Source = 'hashrate_samples' | 'hashrate_1m' | 'hashrate_1h';
interface Segment {
  source: Source;
  from: number;
  to: number;
}

const SOURCE_STEP: Record<Exclude<Source, 'hashrate_samples'>, number> = {
  hashrate_1m: MINUTE_MS,
  hashrate_1h: HOUR_MS,
};

/**
 * Reads one miner's hashrate over `[from, to)` in at most `maxPoints` points (see
 * {@link planHistory}). A roll-up tier answers up to its watermark; the rest comes from the next
 * finer tier, aggregated the same way, so the newest minutes show up before they are rolled up.
 */
export async function queryHistory(
  db: Kysely<RigkitDatabase>,
  context: HistoryContext,
  minerId: string,
  from: number,
  to: number,
  maxPoints: number,
): Promise<HistoryResult> {
  const plan = planHistory(context.tiers, context.now, from, to, maxPoints);
  const result: HistoryResult = {
    minerId,
    from,
    to,
    resolution: plan.tier.name,
    stepMs: plan.bucketMs,
    points: [],
  };
  try {
    const key = context.cachedKey(minerId) ?? (await keyOf(db, minerId));
    if (key === undefined) return result;
    if (plan.tier.name === 'raw' && plan.bucketMs === plan.tier.stepMs) {
      const rows = await readRawRows(db, key, from, to, maxPoints + 1);
      if (rows.length <= maxPoints) {
        result.points = rows;
        return result;
      }
      // Sampled faster than the nominal interval: fall back to buckets that fit.
      const denser = planHistory(
        [{ ...plan.tier, stepMs: plan.tier.stepMs * 2 }],
        context.now,
        from,
        to,
        maxPoints,
      );
      result.stepMs = denser.bucketMs;
      const segments = segmentsFor(denser, from, to, context);
      result.points = await readBuckets(db, key, segments, denser.bucketMs, maxPoints);
      return result;
    }
    result.points = await readBuckets(
      db,
      key,
      segmentsFor(plan, from, to, context),
      plan.bucketMs,
      maxPoints,
    );
    return result;
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_READ', context.file);
  }
}

/** The integer key of `minerId`, or undefined when it never wrote a sample. */
export async function keyOf(
  db: Kysely<RigkitDatabase>,
  minerId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('miner_keys')
    .select('key')
    .where('miner_id', '=', minerId)
    .executeTakeFirst();
  return row?.key;
}

/**
 * Where each part of the range lives: the tier's table below its watermark, then the finer
 * tiers for what is not rolled up yet.
 */
export function segmentsFor(
  plan: HistoryPlan,
  from: number,
  to: number,
  context: Pick<HistoryContext, 'watermarks'>,
): Segment[] {
  // Buckets that start inside the range: never one that began before `from`.
  const start = Math.ceil(from / plan.bucketMs) * plan.bucketMs;
  if (plan.tier.name === 'raw') return [{ source: 'hashrate_samples', from: start, to }];
  const minute = context.watermarks.minute ?? start;
  if (plan.tier.name === '1m') {
    return [
      { source: 'hashrate_1m', from: start, to: Math.min(to, minute) },
      { source: 'hashrate_samples', from: Math.max(start, minute), to },
    ].filter((segment) => segment.from < segment.to) as Segment[];
  }
  const hour = context.watermarks.hour ?? start;
  const minuteAfterHour = Math.max(minute, hour);
  return [
    { source: 'hashrate_1h', from: start, to: Math.min(to, hour) },
    { source: 'hashrate_1m', from: Math.max(start, hour), to: Math.min(to, minuteAfterHour) },
    { source: 'hashrate_samples', from: Math.max(start, minuteAfterHour), to },
  ].filter((segment) => segment.from < segment.to) as Segment[];
}

async function readRawRows(
  db: Kysely<RigkitDatabase>,
  key: number,
  from: number,
  to: number,
  limit: number,
): Promise<HistoryPoint[]> {
  const rows = await db
    .selectFrom('hashrate_samples')
    .select(['time', 'hashrate', 'shares_accepted', 'shares_rejected'])
    .where('miner_key', '=', key)
    .where('time', '>=', from)
    .where('time', '<', to)
    .orderBy('time')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    time: row.time,
    hashrate: row.hashrate,
    min: row.hashrate,
    max: row.hashrate,
    samples: row.hashrate === null ? 0 : 1,
    accepted: row.shares_accepted ?? 0,
    rejected: row.shares_rejected ?? 0,
  }));
}

/**
 * Reads every segment in `size`-wide buckets. Segments are ordered and contiguous, so the only
 * bucket two of them can share is the one at their boundary (when `size` spans the
 * watermark): it is merged in place — no map, no sort.
 */
export async function readBuckets(
  db: Kysely<RigkitDatabase>,
  key: number,
  segments: readonly Segment[],
  size: number,
  maxPoints: number,
): Promise<HistoryPoint[]> {
  const points: HistoryPoint[] = [];
  for (const segment of segments) {
    for (const point of await readSegment(db, key, segment, size, maxPoints)) {
      const last = points[points.length - 1];
      if (last !== undefined && last.time === point.time) merge(last, point);
      else points.push(point);
    }
  }
  return points.length > maxPoints ? points.slice(0, maxPoints) : points;
}

/**
 * One segment as points, oldest first. Native roll-up rows are read as they are (the hot path
 * of a chart); anything else is grouped in SQL with integer division, which SQLite and
 * PostgreSQL agree on. Each shape is compiled once per database ({@link template}).
 */
async function readSegment(
  db: Kysely<RigkitDatabase>,
  key: number,
  segment: Segment,
  size: number,
  limit: number,
): Promise<HistoryPoint[]> {
  const args = [key, segment.from, segment.to, limit];
  const [$key, $from, $to, $limit] = args.map((_, i) => QueryTemplate.sentinel(i)) as [
    number,
    number,
    number,
    number,
  ];
  const loose = db as Kysely<unknown>;

  if (segment.source !== 'hashrate_samples' && size === SOURCE_STEP[segment.source]) {
    const table = segment.source;
    // Aliased to the point's own keys: the rows are the points, no second object per row.
    const query = template(loose, `native:${table}`, 4, () =>
      db
        .selectFrom(table)
        .select((eb) => [
          'bucket as time',
          'hashrate_avg as hashrate',
          'hashrate_min as min',
          'hashrate_max as max',
          eb
            .case()
            .when('hashrate_avg', 'is', null)
            .then(eb.lit(0))
            .else(eb.ref('samples'))
            .end()
            .as('samples'),
          'shares_accepted as accepted',
          'shares_rejected as rejected',
        ])
        .where('miner_key', '=', $key)
        .where('bucket', '>=', $from)
        .where('bucket', '<', $to)
        .orderBy('bucket')
        .limit($limit)
        .compile(),
    );
    return (await query.execute(loose, args)).rows;
  }

  const bucket = sql<number>`(${sql.ref(segment.source === 'hashrate_samples' ? 'time' : 'bucket')} / ${sql.lit(size)}) * ${sql.lit(size)}`;
  const query =
    segment.source === 'hashrate_samples'
      ? template(loose, `raw:${size}`, 4, () =>
          db
            .selectFrom('hashrate_samples')
            .select((eb) => [
              bucket.as('b'),
              eb.fn.sum<number | null>('hashrate').as('sum'),
              eb.fn.count<number>('hashrate').as('n'),
              eb.fn.min('hashrate').as('min'),
              eb.fn.max('hashrate').as('max'),
              eb.fn.sum<number | null>('shares_accepted').as('accepted'),
              eb.fn.sum<number | null>('shares_rejected').as('rejected'),
            ])
            .where('miner_key', '=', $key)
            .where('time', '>=', $from)
            .where('time', '<', $to)
            .groupBy(bucket)
            .orderBy(bucket)
            .limit($limit)
            .compile(),
        )
      : template(loose, `grouped:${segment.source}:${size}`, 4, () =>
          db
            .selectFrom(segment.source as 'hashrate_1m' | 'hashrate_1h')
            .select((eb) => [
              bucket.as('b'),
              sql<number | null>`sum(hashrate_avg * samples)`.as('sum'),
              eb.fn.sum<number>('samples').as('n'),
              eb.fn.min('hashrate_min').as('min'),
              eb.fn.max('hashrate_max').as('max'),
              eb.fn.sum<number | null>('shares_accepted').as('accepted'),
              eb.fn.sum<number | null>('shares_rejected').as('rejected'),
            ])
            .where('miner_key', '=', $key)
            .where('bucket', '>=', $from)
            .where('bucket', '<', $to)
            .groupBy(bucket)
            .orderBy(bucket)
            .limit($limit)
            .compile(),
        );
  const rows = (await query.execute(loose, args)).rows;
  return rows.map((row) => {
    const n = Number(row.n);
    return {
      time: Number(row.b),
      hashrate: n > 0 && row.sum !== null ? row.sum / n : null,
      min: row.min,
      max: row.max,
      samples: n,
      accepted: Number(row.accepted ?? 0),
      rejected: Number(row.rejected ?? 0),
    };
  });
}

/** Folds `point` (the same bucket, from the next segment) into `into`. */
function merge(into: HistoryPoint, point: HistoryPoint): void {
  const samples = into.samples + point.samples;
  into.hashrate =
    samples === 0
      ? null
      : ((into.hashrate ?? 0) * into.samples + (point.hashrate ?? 0) * point.samples) / samples;
  into.samples = samples;
  into.min = lesser(into.min, point.min);
  into.max = greater(into.max, point.max);
  into.accepted += point.accepted;
  into.rejected += point.rejected;
}

function lesser(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function greater(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return a > b ? a : b;
}
