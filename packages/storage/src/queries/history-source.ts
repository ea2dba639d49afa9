import type { RetentionPolicy } from '../retention/retention-policy.js';
import { HOUR_MS, MINUTE_MS, type RollupTierName } from '../rollup/rollup-tiers.js';

/** The table a history answer came from: raw samples or a roll-up tier. */
export type HistoryResolution = 'raw' | RollupTierName;

/** A tier with its native step and how far back it reaches. */
export interface HistoryTier {
  name: HistoryResolution;
  stepMs: number;
  retentionMs: number;
}

/** The tiers, finest first. `rawStepMs` is the nominal sampling interval. */
export function historyTiers(rawStepMs: number, retention: RetentionPolicy): HistoryTier[] {
  return [
    { name: 'raw', stepMs: rawStepMs, retentionMs: retention.raw },
    { name: '1m', stepMs: MINUTE_MS, retentionMs: retention.minute },
    { name: '1h', stepMs: HOUR_MS, retentionMs: retention.hour },
  ];
}

/** The chosen tier and the width of the points it returns. */
export interface HistoryPlan {
  tier: HistoryTier;
  /** Point width, a multiple of the tier's step; `tier.stepMs` means native rows. */
  bucketMs: number;
}

/**
 * Picks where to read `[from, to)` so that at most `maxPoints` points come back:
 * only tiers whose retention still reaches `from` qualify (else the coarsest); among them the
 * coarsest whose step is at most twice the step `maxPoints` asks for — so 30 days in 1000
 * points reads 720 hourly rows rather than 43 200 minute rows for a 44-minute grid — or, when
 * even the finest is coarser than asked, the finest. Native buckets are then merged `k` at a
 * time, with the smallest `k` whose aligned grid fits.
 */
export function planHistory(
  tiers: readonly HistoryTier[],
  now: number,
  from: number,
  to: number,
  maxPoints: number,
): HistoryPlan {
  const covering = tiers.filter((tier) => from >= now - tier.retentionMs);
  const candidates = covering.length > 0 ? covering : tiers.slice(-1);
  const wanted = (to - from) / maxPoints;
  let tier = candidates[0] as HistoryTier;
  for (const candidate of candidates) if (candidate.stepMs <= 2 * wanted) tier = candidate;

  let k = Math.max(1, Math.ceil(wanted / tier.stepMs));
  while (bucketCount(from, to, tier.stepMs * k) > maxPoints) k += 1;
  return { tier, bucketMs: tier.stepMs * k };
}

/**
 * Aligned buckets of width `size` that start inside `[from, to)` — the points a read returns.
 * A bucket that started before `from` is left out rather than shown with part of its data,
 * so a day at one-minute resolution is 1440 points whatever second it is asked at.
 */
export function bucketCount(from: number, to: number, size: number): number {
  return Math.max(0, Math.floor((to - 1) / size) - Math.ceil(from / size) + 1);
}
