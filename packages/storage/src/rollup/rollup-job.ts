import { type Kysely, sql, type Transaction } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import type { RigkitDatabase } from '../schema/rigkit-database.js';
import { floorTo, HOUR_MS, MINUTE_MS, type RollupTierName } from './rollup-tiers.js';

/** Options of a {@link RollupJob}. */
export interface RollupJobOptions {
  /** The clock (ms since the epoch). */
  now: () => number;
  /** A bucket is rolled up once it ended this long ago (lets queued samples land). */
  delayMs: number;
  /** The oldest raw sample that still exists: late data older than this is never re-rolled. */
  rawHorizon: () => number;
  /** Named in error messages. */
  file: string | undefined;
}

/** What one {@link RollupJob.run} did. */
export interface RollupReport {
  /** Roll-up rows inserted or updated, per tier. */
  upserted: Record<RollupTierName, number>;
  /** Watermarks after the run (every bucket before is final), per tier. */
  watermarks: Partial<Record<RollupTierName, number>>;
}

/** Buckets per transaction: short transactions keep the writer from waiting long. */
const BUCKETS_PER_STEP: Record<RollupTierName, number> = { '1m': 60, '1h': 24 };

/**
 * Rolls raw samples up into 1-minute buckets and those into 1-hour buckets.
 *
 * Incremental: `rollup_state` keeps a watermark per tier; only complete buckets past it are
 * processed. Idempotent: each step recomputes whole buckets from the finer tier and upserts
 * them keyed by (miner, bucket) in the same transaction that advances the watermark, so a
 * crash at any point leaves either the old state or the new one, and re-running a step
 * rewrites the same values (never duplicates). Samples that arrive after their minute was
 * rolled up (a queue that waited on a slow disk) mark that minute for another pass.
 */
export class RollupJob {
  readonly #db: Kysely<RigkitDatabase>;
  readonly #options: RollupJobOptions;
  readonly #watermarks: Partial<Record<RollupTierName, number>> = {};
  readonly #dirtyFrom: Partial<Record<RollupTierName, number>> = {};

  constructor(db: Kysely<RigkitDatabase>, options: RollupJobOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** Reads the watermarks (call once after open). */
  async load(): Promise<void> {
    const rows = await this.#db.selectFrom('rollup_state').select(['name', 'watermark']).execute();
    for (const row of rows) {
      if (row.name === '1m' || row.name === '1h') this.#watermarks[row.name] = row.watermark;
    }
  }

  /** The watermark of `tier`: buckets before it are final in that tier's table. */
  watermark(tier: RollupTierName): number | undefined {
    return this.#watermarks[tier];
  }

  /** Samples as old as `oldestTime` were just written: re-roll their minute if already done. */
  noteWritten(oldestTime: number): void {
    const watermark = this.#watermarks['1m'];
    if (watermark === undefined || oldestTime >= watermark) return;
    const bucket = floorTo(oldestTime, MINUTE_MS);
    const dirty = this.#dirtyFrom['1m'];
    if (dirty === undefined || bucket < dirty) this.#dirtyFrom['1m'] = bucket;
  }

  /**
   * Rolls up every complete bucket not yet final. `shouldStop` is checked between steps so a
   * closing storage does not wait for a long catch-up.
   */
  async run(shouldStop: () => boolean = () => false): Promise<RollupReport> {
    const upserted = { '1m': 0, '1h': 0 };
    try {
      upserted['1m'] = await this.#rollTier('1m', shouldStop);
      upserted['1h'] = await this.#rollTier('1h', shouldStop);
    } catch (error) {
      throw StorageError.from(error, 'E_STORAGE_WRITE', this.#options.file);
    }
    return { upserted, watermarks: { ...this.#watermarks } };
  }

  async #rollTier(tier: RollupTierName, shouldStop: () => boolean): Promise<number> {
    const size = tier === '1m' ? MINUTE_MS : HOUR_MS;
    const now = this.#options.now();
    let target = floorTo(now - this.#options.delayMs, size);
    if (tier === '1h') {
      // An hour is final only once all its minutes are.
      const minutes = this.#watermarks['1m'];
      if (minutes === undefined) return 0;
      target = Math.min(target, floorTo(minutes, HOUR_MS));
    }

    let start = this.#watermarks[tier];
    const dirty = this.#dirtyFrom[tier];
    if (dirty !== undefined) {
      delete this.#dirtyFrom[tier];
      // Below the raw horizon the source rows are gone: re-rolling would shrink real buckets.
      const from =
        tier === '1m' ? Math.max(dirty, floorTo(this.#options.rawHorizon(), size) + size) : dirty;
      if (start === undefined || from < start) start = from;
    }

    let upserted = 0;
    for (;;) {
      if (shouldStop()) return upserted;
      const next = await this.#nextSourceTime(tier, start ?? Number.MIN_SAFE_INTEGER, target);
      if (next === undefined) break;
      const from = floorTo(next, size);
      const to = Math.min(target, from + size * BUCKETS_PER_STEP[tier]);
      const previous = this.#watermarks[tier];
      const mark = Math.max(previous ?? to, to);
      upserted += await this.#db.transaction().execute(async (trx) => {
        const rows = await this.#upsertBuckets(trx, tier, from, to);
        await this.#saveWatermark(trx, tier, mark);
        return rows;
      });
      this.#watermarks[tier] = mark;
      if (tier === '1m' && previous !== undefined && from < previous) this.#markHourDirty(from);
      start = to;
    }

    // Nothing left below the target: an empty stretch is final too, so the next run starts
    // its search at the target instead of re-scanning the gap.
    const watermark = this.#watermarks[tier];
    if (watermark !== undefined && watermark < target) {
      await this.#db.transaction().execute((trx) => this.#saveWatermark(trx, tier, target));
      this.#watermarks[tier] = target;
    }
    return upserted;
  }

  #markHourDirty(minute: number): void {
    const hours = this.#watermarks['1h'];
    if (hours === undefined || minute >= hours) return;
    const bucket = floorTo(minute, HOUR_MS);
    const dirty = this.#dirtyFrom['1h'];
    if (dirty === undefined || bucket < dirty) this.#dirtyFrom['1h'] = bucket;
  }

  /**
   * The earliest source time in [from, to) over all miners, or undefined. One index seek per
   * miner key (a correlated `min()` on the primary key) instead of a scan of the range, so long
   * empty stretches — a storage that was closed for a month — are skipped in one query.
   */
  async #nextSourceTime(
    tier: RollupTierName,
    from: number,
    to: number,
  ): Promise<number | undefined> {
    const row =
      tier === '1m'
        ? await this.#db
            .selectFrom('miner_keys as k')
            .select((eb) =>
              eb.fn
                .min(
                  eb
                    .selectFrom('hashrate_samples as r')
                    .select((inner) => inner.fn.min('r.time').as('t'))
                    .whereRef('r.miner_key', '=', 'k.key')
                    .where('r.time', '>=', from)
                    .where('r.time', '<', to),
                )
                .as('next'),
            )
            .executeTakeFirst()
        : await this.#db
            .selectFrom('miner_keys as k')
            .select((eb) =>
              eb.fn
                .min(
                  eb
                    .selectFrom('hashrate_1m as m')
                    .select((inner) => inner.fn.min('m.bucket').as('t'))
                    .whereRef('m.miner_key', '=', 'k.key')
                    .where('m.bucket', '>=', from)
                    .where('m.bucket', '<', to),
                )
                .as('next'),
            )
            .executeTakeFirst();
    const next = row?.next;
    return next === null || next === undefined ? undefined : Number(next);
  }

  async #upsertBuckets(
    trx: Transaction<RigkitDatabase>,
    tier: RollupTierName,
    from: number,
    to: number,
  ): Promise<number> {
    const result =
      tier === '1m'
        ? await trx
            .insertInto('hashrate_1m')
            .columns(ROLLUP_COLUMNS)
            .expression((eb) => {
              const bucket = sql<number>`(${sql.ref('r.time')} / ${sql.lit(MINUTE_MS)}) * ${sql.lit(MINUTE_MS)}`;
              // CROSS JOIN fixes the loop order in SQLite (keys outside, a primary-key range
              // scan per key inside); for PostgreSQL it is an ordinary join.
              return eb
                .selectFrom('miner_keys as k')
                .crossJoin('hashrate_samples as r')
                .whereRef('r.miner_key', '=', 'k.key')
                .where('r.time', '>=', from)
                .where('r.time', '<', to)
                .groupBy(['r.miner_key', bucket])
                .select((s) => [
                  'r.miner_key',
                  bucket.as('bucket'),
                  s.fn.avg<number>('r.hashrate').as('hashrate_avg'),
                  s.fn.min('r.hashrate').as('hashrate_min'),
                  s.fn.max('r.hashrate').as('hashrate_max'),
                  s.fn.count<number>('r.hashrate').as('samples'),
                  s.fn
                    .coalesce(s.fn.sum<number>('r.shares_accepted'), s.lit(0))
                    .as('shares_accepted'),
                  s.fn
                    .coalesce(s.fn.sum<number>('r.shares_rejected'), s.lit(0))
                    .as('shares_rejected'),
                ]);
            })
            .onConflict((oc) => oc.columns(['miner_key', 'bucket']).doUpdateSet(updateFromExcluded))
            .executeTakeFirst()
        : await trx
            .insertInto('hashrate_1h')
            .columns(ROLLUP_COLUMNS)
            .expression((eb) => {
              const bucket = sql<number>`(${sql.ref('m.bucket')} / ${sql.lit(HOUR_MS)}) * ${sql.lit(HOUR_MS)}`;
              return eb
                .selectFrom('miner_keys as k')
                .crossJoin('hashrate_1m as m')
                .whereRef('m.miner_key', '=', 'k.key')
                .where('m.bucket', '>=', from)
                .where('m.bucket', '<', to)
                .groupBy(['m.miner_key', bucket])
                .select((s) => [
                  'm.miner_key',
                  bucket.as('bucket'),
                  // The mean of minute means, weighted by their sample counts = the raw mean.
                  sql<number>`sum(${s.ref('m.hashrate_avg')} * ${s.ref('m.samples')}) / nullif(sum(${s.ref('m.samples')}), 0)`.as(
                    'hashrate_avg',
                  ),
                  s.fn.min('m.hashrate_min').as('hashrate_min'),
                  s.fn.max('m.hashrate_max').as('hashrate_max'),
                  s.fn.sum<number>('m.samples').as('samples'),
                  s.fn.sum<number>('m.shares_accepted').as('shares_accepted'),
                  s.fn.sum<number>('m.shares_rejected').as('shares_rejected'),
                ]);
            })
            .onConflict((oc) => oc.columns(['miner_key', 'bucket']).doUpdateSet(updateFromExcluded))
            .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n);
  }

  async #saveWatermark(
    trx: Transaction<RigkitDatabase>,
    tier: RollupTierName,
    watermark: number,
  ): Promise<void> {
    await trx
      .insertInto('rollup_state')
      .values({ name: tier, watermark })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet((eb) => ({ watermark: eb.ref('excluded.watermark') })),
      )
      .execute();
  }
}

const ROLLUP_COLUMNS = [
  'miner_key',
  'bucket',
  'hashrate_avg',
  'hashrate_min',
  'hashrate_max',
  'samples',
  'shares_accepted',
  'shares_rejected',
] as const;

/** `SET column = excluded.column` for every value column: a re-run rewrites the same row. */
function updateFromExcluded() {
  return {
    hashrate_avg: sql.ref<number | null>('excluded.hashrate_avg'),
    hashrate_min: sql.ref<number | null>('excluded.hashrate_min'),
    hashrate_max: sql.ref<number | null>('excluded.hashrate_max'),
    samples: sql.ref<number>('excluded.samples'),
    shares_accepted: sql.ref<number>('excluded.shares_accepted'),
    shares_rejected: sql.ref<number>('excluded.shares_rejected'),
  };
}
