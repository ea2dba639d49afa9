import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION } from '../retention/retention-policy.js';
import { bucketCount, historyTiers, planHistory } from './history-source.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = 1_700_000_000_000;
const tiers = historyTiers(10_000, DEFAULT_RETENTION);

describe('planHistory', () => {
  it.each([
    ['1 h', HOUR, 1000, 'raw', 10_000],
    ['1 d', DAY, 1000, '1m', 120_000],
    ['1 d at 1-minute resolution', DAY, 1440, '1m', 60_000],
    ['30 d', 30 * DAY, 1000, '1h', HOUR],
    ['1 y', 365 * DAY, 1000, '1h', 9 * HOUR],
  ] as const)('reads %s from the right tier', (_name, span, maxPoints, tier, bucketMs) => {
    const plan = planHistory(tiers, NOW, NOW - span, NOW, maxPoints);
    expect(plan.tier.name).toBe(tier);
    expect(plan.bucketMs).toBe(bucketMs);
  });

  it('skips tiers whose retention no longer reaches the start of the range', () => {
    // An hour three days ago: raw is gone (48 h), so minutes it is.
    expect(planHistory(tiers, NOW, NOW - 3 * DAY, NOW - 3 * DAY + HOUR, 1000).tier.name).toBe('1m');
    // Older than every tier: the coarsest still answers (with what is left).
    expect(planHistory(tiers, NOW, NOW - 2 * 365 * DAY, NOW, 1000).tier.name).toBe('1h');
  });

  it('never plans more aligned buckets than maxPoints', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 * DAY }),
        fc.integer({ min: 1, max: 400 * DAY }),
        fc.integer({ min: 1, max: 10_000 }),
        (ago, span, maxPoints) => {
          const from = NOW - ago;
          const plan = planHistory(tiers, NOW, from, from + span, maxPoints);
          expect(plan.bucketMs % plan.tier.stepMs).toBe(0);
          expect(bucketCount(from, from + span, plan.bucketMs)).toBeLessThanOrEqual(maxPoints);
        },
      ),
    );
  });
});
