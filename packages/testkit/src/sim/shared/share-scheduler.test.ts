import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mulberry32 } from './mulberry32.js';
import { ShareScheduler } from './share-scheduler.js';
import { SimClock } from './sim-clock.js';

describe('ShareScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function scheduler(scale: number, seed = 1) {
    const clock = new SimClock(scale, () => Date.now());
    let shares = 0;
    const shareScheduler = new ShareScheduler({
      random: mulberry32(seed),
      clock,
      onShare: () => shares++,
    });
    return { shareScheduler, clock, count: () => shares };
  }

  it('finds shares at hashrate / difficulty per simulated second', () => {
    const { shareScheduler, count } = scheduler(1);
    shareScheduler.set(2000, 100); // 20 shares a second
    vi.advanceTimersByTime(50_000);
    expect(count()).toBeGreaterThan(1000 * 0.9);
    expect(count()).toBeLessThan(1000 * 1.1);
  });

  it('runs faster with the time scale, and stops at rate 0', () => {
    const { shareScheduler, count } = scheduler(10);
    shareScheduler.set(200, 100); // 2 per simulated second, 20 per real second
    vi.advanceTimersByTime(50_000);
    const found = count();
    expect(found).toBeGreaterThan(1000 * 0.9);
    expect(found).toBeLessThan(1000 * 1.1);
    shareScheduler.set(0, 100);
    vi.advanceTimersByTime(10_000);
    expect(count()).toBe(found);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('draws the same arrival times for the same seed', () => {
    const times = (seed: number) => {
      const clock = new SimClock(1, () => Date.now());
      const seen: number[] = [];
      const s = new ShareScheduler({
        random: mulberry32(seed),
        clock,
        onShare: () => seen.push(Date.now()),
      });
      s.set(1000, 100);
      vi.advanceTimersByTime(2000);
      s.stop();
      return seen.map((t) => t - (seen[0] as number));
    };
    expect(times(5)).toEqual(times(5));
  });
});
