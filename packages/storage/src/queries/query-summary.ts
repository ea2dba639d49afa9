import { type Kysely, sql } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import type { RigkitDatabase } from '../schema/rigkit-database.js';
import type { HistoryResolution } from './history-source.js';
import { planHistory } from './history-source.js';
import { type HistoryContext, keyOf, readBuckets, segmentsFor } from './query-history.js';

/** What `summary()` answers about one miner over a range. */
export interface MinerSummary {
  minerId: string;
  from: number;
  to: number;
  /** The tier the hashrate figures were computed from (buckets are whole at its step). */
  resolution: HistoryResolution;
  /**
   * Share of `[from, min(to, now))` covered by sessions, 0–100; `null` for a range that has
   * not started. Sessions are kept 180 days by default: older stretches count as down.
   */
  uptimePercent: number | null;
  /** Mean of all sampled hashrates, H/s. */
  avgHashrate: number | null;
  minHashrate: number | null;
  maxHashrate: number | null;
  /** Samples with a hashrate. */
  samples: number;
  sharesAccepted: number;
  sharesRejected: number;
  /** Sessions overlapping the range, and how many of them were automatic restarts. */
  sessions: number;
  restarts: number;
}

/** Points the summary plans with: bounds the rows a summary of a year reads. */
const SUMMARY_POINTS = 1000;

/**
 * Summarises one miner over `[from, to)`: uptime from sessions, hashrate and shares from the
 * tier {@link planHistory} picks for the range, aggregated in SQL (one row per bucket at most
 * `SUMMARY_POINTS`), so the work is bounded whatever the range.
 */
export async function querySummary(
  db: Kysely<RigkitDatabase>,
  context: HistoryContext,
  minerId: string,
  from: number,
  to: number,
): Promise<MinerSummary> {
  const plan = planHistory(context.tiers, context.now, from, to, SUMMARY_POINTS);
  const summary: MinerSummary = {
    minerId,
    from,
    to,
    resolution: plan.tier.name,
    uptimePercent: null,
    avgHashrate: null,
    minHashrate: null,
    maxHashrate: null,
    samples: 0,
    sharesAccepted: 0,
    sharesRejected: 0,
    sessions: 0,
    restarts: 0,
  };
  try {
    const key = context.cachedKey(minerId) ?? (await keyOf(db, minerId));
    if (key !== undefined) {
      const segments = segmentsFor(plan, from, to, context);
      const buckets = await readBuckets(db, key, segments, plan.bucketMs, SUMMARY_POINTS);
      let weighted = 0;
      for (const bucket of buckets) {
        if (bucket.hashrate !== null) weighted += bucket.hashrate * bucket.samples;
        summary.samples += bucket.samples;
        summary.sharesAccepted += bucket.accepted;
        summary.sharesRejected += bucket.rejected;
        if (
          bucket.min !== null &&
          (summary.minHashrate === null || bucket.min < summary.minHashrate)
        )
          summary.minHashrate = bucket.min;
        if (
          bucket.max !== null &&
          (summary.maxHashrate === null || bucket.max > summary.maxHashrate)
        )
          summary.maxHashrate = bucket.max;
      }
      summary.avgHashrate = summary.samples > 0 ? weighted / summary.samples : null;
    }

    const end = Math.min(to, context.now);
    const until = sql<number>`coalesce(ended_at, ${context.now})`;
    const sessions = await db
      .selectFrom('miner_sessions')
      .select((eb) => [
        eb.fn.countAll<number>().as('sessions'),
        sql<number | null>`sum(case when restart_attempt > 0 then 1 else 0 end)`.as('restarts'),
        // Overlap of each session with [from, end), in SQL both engines accept (CASE, not
        // SQLite's two-argument min/max or PostgreSQL's LEAST/GREATEST).
        sql<number | null>`sum(
          (case when ${until} < ${end} then ${until} else ${end} end)
          - (case when started_at > ${from} then started_at else ${from} end))`.as('covered'),
      ])
      .where('miner_id', '=', minerId)
      .where('started_at', '<', end)
      .where(until, '>', from)
      .executeTakeFirst();
    summary.sessions = Number(sessions?.sessions ?? 0);
    summary.restarts = Number(sessions?.restarts ?? 0);
    if (end > from) {
      const covered = Math.max(0, Number(sessions?.covered ?? 0));
      summary.uptimePercent = Math.min(100, (covered / (end - from)) * 100);
    }
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_READ', context.file);
  }
  return summary;
}
