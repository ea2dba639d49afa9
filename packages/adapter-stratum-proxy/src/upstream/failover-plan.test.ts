import { describe, expect, it } from 'vitest';
import { FailoverPlan } from './failover-plan.js';

// random() = 0.5 means no jitter: 1 + (0.5 × 2 − 1) × 0.2 = 1.
const noJitter = () => 0.5;

function steps(plan: FailoverPlan, count: number): [number, number][] {
  return Array.from({ length: count }, () => {
    const step = plan.failed();
    return [step.index, step.delayMs];
  });
}

describe('FailoverPlan', () => {
  it('tries every pool of a round at once, then backs off exponentially per round', () => {
    const plan = new FailoverPlan({
      pools: 3,
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      random: noJitter,
    });
    expect(plan.current).toBe(0);
    expect(plan.onPrimary).toBe(true);
    expect(steps(plan, 9)).toEqual([
      [1, 0],
      [2, 0],
      [0, 1000],
      [1, 0],
      [2, 0],
      [0, 2000],
      [1, 0],
      [2, 0],
      [0, 4000],
    ]);
    expect(plan.failedRounds).toBe(3);
  });

  it('backs off on every failure with a single pool, up to the cap', () => {
    const plan = new FailoverPlan({
      pools: 1,
      initialBackoffMs: 1000,
      maxBackoffMs: 5000,
      random: noJitter,
    });
    expect(steps(plan, 5).map(([, delay]) => delay)).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(plan.current).toBe(0);
  });

  it('applies ±20 % jitter and never exceeds the cap', () => {
    const low = new FailoverPlan({
      pools: 1,
      initialBackoffMs: 1000,
      maxBackoffMs: 10_000,
      random: () => 0,
    });
    expect(low.failed().delayMs).toBe(800);
    const high = new FailoverPlan({
      pools: 1,
      initialBackoffMs: 1000,
      maxBackoffMs: 10_000,
      random: () => 0.999_999,
    });
    expect(high.failed().delayMs).toBe(1200);
    const capped = new FailoverPlan({
      pools: 1,
      initialBackoffMs: 1000,
      maxBackoffMs: 1100,
      random: () => 0.999_999,
    });
    expect(capped.failed().delayMs).toBe(1100);
  });

  it('stays finite after very many failed rounds', () => {
    const plan = new FailoverPlan({
      pools: 1,
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      random: noJitter,
    });
    for (let i = 0; i < 5000; i++) plan.failed();
    expect(plan.failed().delayMs).toBe(60_000);
  });

  it('starts over after a success, with the round beginning at the working pool', () => {
    const plan = new FailoverPlan({
      pools: 3,
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      random: noJitter,
    });
    steps(plan, 4); // one failed round, now on pool 1
    plan.succeeded();
    expect(plan.failedRounds).toBe(0);
    expect(plan.current).toBe(1);
    expect(steps(plan, 3)).toEqual([
      [2, 0],
      [0, 0],
      [1, 1000],
    ]);
  });

  it('returns to the primary on request', () => {
    const plan = new FailoverPlan({
      pools: 3,
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      random: noJitter,
    });
    plan.failed();
    plan.succeeded();
    expect(plan.onPrimary).toBe(false);
    plan.usePrimary();
    expect(plan.onPrimary).toBe(true);
    expect(plan.current).toBe(0);
    expect(steps(plan, 3)).toEqual([
      [1, 0],
      [2, 0],
      [0, 1000],
    ]);
  });
});
