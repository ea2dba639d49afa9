import type { Kysely } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import type { RigkitDatabase } from '../schema/rigkit-database.js';
import type { RetentionPolicy } from './retention-policy.js';

/** Inputs of {@link enforceRetention}. */
export interface EnforceRetentionOptions {
  policy: RetentionPolicy;
  now: number;
  /** Rows per DELETE at most: each is its own short transaction. */
  batchRows: number;
  /** Roll-up watermarks: rows not yet rolled up are kept whatever their age. */
  watermarks: { minute: number | undefined; hour: number | undefined };
  /** Called (inside the deleting transaction) with ids whose miner keys were deleted. */
  forgetKeys: (minerIds: readonly string[]) => void;
  shouldStop: () => boolean;
  file: string | undefined;
}

/** Rows deleted per table by one {@link enforceRetention} run. */
export interface RetentionReport {
  hashrate_samples: number;
  hashrate_1m: number;
  hashrate_1h: number;
  miner_sessions: number;
  events: number;
  miners: number;
  miner_keys: number;
}

const KEY_PAGE = 1000;

/**
 * Deletes what every table's rule says is too old, in batches of at most `batchRows` rows so a
 * writer never waits behind one huge DELETE. Time-series tables are trimmed per miner key along
 * their (key, time) primary key — no extra time index to store and update on every insert.
 * Raw and minute rows newer than the next tier's watermark survive: they are not rolled up yet.
 */
export async function enforceRetention(
  db: Kysely<RigkitDatabase>,
  options: EnforceRetentionOptions,
): Promise<RetentionReport> {
  const { policy, now, watermarks } = options;
  const report: RetentionReport = {
    hashrate_samples: 0,
    hashrate_1m: 0,
    hashrate_1h: 0,
    miner_sessions: 0,
    events: 0,
    miners: 0,
    miner_keys: 0,
  };
  try {
    const rawCutoff = Math.min(now - policy.raw, watermarks.minute ?? Number.POSITIVE_INFINITY);
    const minuteCutoff = Math.min(now - policy.minute, watermarks.hour ?? Number.POSITIVE_INFINITY);
    report.hashrate_samples = await trimSeries(db, 'hashrate_samples', 'time', rawCutoff, options);
    report.hashrate_1m = await trimSeries(db, 'hashrate_1m', 'bucket', minuteCutoff, options);
    report.hashrate_1h = await trimSeries(db, 'hashrate_1h', 'bucket', now - policy.hour, options);
    report.miner_sessions = await trimSessions(db, now - policy.sessions, options);
    report.events = await trimEvents(db, now - policy.events, options);

    const miners = await db
      .deleteFrom('miners')
      .where('removed_at', 'is not', null)
      .where('removed_at', '<', now - policy.removedMiners)
      .executeTakeFirst();
    report.miners = Number(miners.numDeletedRows);
    report.miner_keys = await trimKeys(db, now - policy.raw, options);
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_WRITE', options.file);
  }
  return report;
}

type SeriesTable = 'hashrate_samples' | 'hashrate_1m' | 'hashrate_1h';

async function trimSeries(
  db: Kysely<RigkitDatabase>,
  table: SeriesTable,
  column: 'time' | 'bucket',
  cutoff: number,
  options: EnforceRetentionOptions,
): Promise<number> {
  // The (key, time) primary key is typed per table; one loose view of the three keeps this
  // a single function rather than three copies.
  const series = db as unknown as Kysely<
    Record<SeriesTable, { miner_key: number; time: number; bucket: number }>
  >;
  let deleted = 0;
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const keys = await db
      .selectFrom('miner_keys')
      .select('key')
      .where('key', '>', after)
      .orderBy('key')
      .limit(KEY_PAGE)
      .execute();
    for (const { key } of keys) {
      for (;;) {
        if (options.shouldStop()) return deleted;
        // The (batchRows + 1)-th oldest expired row: deleting below it removes exactly batchRows.
        const bound = await series
          .selectFrom(table)
          .select(column)
          .where('miner_key', '=', key)
          .where(column, '<', cutoff)
          .orderBy(column)
          .offset(options.batchRows)
          .limit(1)
          .executeTakeFirst();
        const result = await series
          .deleteFrom(table)
          .where('miner_key', '=', key)
          .where(column, '<', bound === undefined ? cutoff : Number(bound[column]))
          .executeTakeFirst();
        deleted += Number(result.numDeletedRows);
        if (bound === undefined) break;
        await yieldToEventLoop();
      }
    }
    const last = keys.at(-1);
    if (last === undefined || keys.length < KEY_PAGE) return deleted;
    after = last.key;
  }
}

async function trimSessions(
  db: Kysely<RigkitDatabase>,
  cutoff: number,
  options: EnforceRetentionOptions,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    if (options.shouldStop()) return deleted;
    const bound = await db
      .selectFrom('miner_sessions')
      .select('ended_at')
      .where('ended_at', 'is not', null)
      .where('ended_at', '<', cutoff)
      .orderBy('ended_at')
      .offset(options.batchRows)
      .limit(1)
      .executeTakeFirst();
    // Sessions share end times rarely; `<=` on a tie deletes the few rows at the bound too.
    const result = await db
      .deleteFrom('miner_sessions')
      .where('ended_at', 'is not', null)
      .where((eb) =>
        bound?.ended_at == null
          ? eb('ended_at', '<', cutoff)
          : eb('ended_at', '<=', bound.ended_at),
      )
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
    if (bound === undefined) return deleted;
    await yieldToEventLoop();
  }
}

async function trimEvents(
  db: Kysely<RigkitDatabase>,
  cutoff: number,
  options: EnforceRetentionOptions,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    if (options.shouldStop()) return deleted;
    const bound = await db
      .selectFrom('events')
      .select('time')
      .where('time', '<', cutoff)
      .orderBy('time')
      .offset(options.batchRows)
      .limit(1)
      .executeTakeFirst();
    // Events of several miners often share a millisecond; `<=` takes the tie at the bound.
    const result = await db
      .deleteFrom('events')
      .where('time', bound === undefined ? '<' : '<=', bound === undefined ? cutoff : bound.time)
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
    if (bound === undefined) return deleted;
    await yieldToEventLoop();
  }
}

/** Deletes keys of miners with no data left in any series (and old enough to be idle). */
async function trimKeys(
  db: Kysely<RigkitDatabase>,
  createdBefore: number,
  options: EnforceRetentionOptions,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    if (options.shouldStop()) return deleted;
    const count = await db.transaction().execute(async (trx) => {
      const idle = await trx
        .selectFrom('miner_keys as k')
        .select(['k.key', 'k.miner_id'])
        .where('k.created_at', '<', createdBefore)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('hashrate_samples as r')
                .select('r.miner_key')
                .whereRef('r.miner_key', '=', 'k.key'),
            ),
          ),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('hashrate_1m as m')
                .select('m.miner_key')
                .whereRef('m.miner_key', '=', 'k.key'),
            ),
          ),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('hashrate_1h as h')
                .select('h.miner_key')
                .whereRef('h.miner_key', '=', 'k.key'),
            ),
          ),
        )
        .limit(options.batchRows)
        .execute();
      if (idle.length === 0) return 0;
      await trx
        .deleteFrom('miner_keys')
        .where(
          'key',
          'in',
          idle.map((row) => row.key),
        )
        .execute();
      // Before commit: once the connection is released a flush may run, and it must not find
      // a cached key that no longer exists.
      options.forgetKeys(idle.map((row) => row.miner_id));
      return idle.length;
    });
    deleted += count;
    if (count < options.batchRows) return deleted;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
