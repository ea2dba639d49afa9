import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SimClock } from './sim-clock.js';

describe('SimClock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('scales simulated time to real time', () => {
    const clock = new SimClock(10, () => Date.now());
    const fired: number[] = [];
    clock.after(1000, () => fired.push(Date.now()));
    const start = Date.now();
    vi.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([start + 100]);
    expect(clock.nowSeconds()).toBeCloseTo(1, 5);
  });

  it('waits delays beyond setTimeout’s limit in steps instead of firing at once', () => {
    const clock = new SimClock(1, () => Date.now());
    let fired = false;
    const huge = 2 ** 31 * 3; // ~74 days; a plain setTimeout would fire after 1 ms
    clock.afterReal(huge, () => {
      fired = true;
    });
    vi.advanceTimersByTime(1000);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(huge - 1001);
    expect(fired).toBe(false);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('cancels a long timer at any step, and never fires an infinite one', () => {
    const clock = new SimClock(1, () => Date.now());
    let fired = 0;
    const cancel = clock.afterReal(2 ** 31 * 2, () => fired++);
    vi.advanceTimersByTime(2 ** 31);
    expect(vi.getTimerCount()).toBe(1);
    cancel();
    cancel();
    expect(vi.getTimerCount()).toBe(0);
    clock.afterReal(Number.POSITIVE_INFINITY, () => fired++);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2 ** 32);
    expect(fired).toBe(0);
    clock.after(10, () => fired++);
    clock.dispose();
    vi.advanceTimersByTime(100);
    expect(fired).toBe(0);
  });
});
