import { describe, expect, it } from 'vitest';
import { ShareBaselines } from './share-baselines.js';

describe('ShareBaselines', () => {
  it('turns cumulative counters into per-sample deltas', () => {
    const baselines = new ShareBaselines(10);
    expect(baselines.delta('a', 3, 1)).toEqual([3, 1]);
    expect(baselines.delta('a', 5, 1)).toEqual([2, 0]);
    expect(baselines.delta('a', 9, 2)).toEqual([4, 1]);
  });

  it('treats a counter that went down as a restarted process', () => {
    const baselines = new ShareBaselines(10);
    baselines.delta('a', 100, 5);
    expect(baselines.delta('a', 4, 0)).toEqual([4, 0]);
  });

  it('counts from zero after reset (a new run)', () => {
    const baselines = new ShareBaselines(10);
    baselines.delta('a', 100, 5);
    baselines.reset('a');
    expect(baselines.delta('a', 120, 5)).toEqual([120, 5]);
  });

  it('tracks at most its capacity of miners', () => {
    const baselines = new ShareBaselines(2);
    baselines.delta('a', 1, 0);
    baselines.delta('b', 1, 0);
    baselines.delta('c', 1, 0);
    expect(baselines.size).toBe(2);
    expect(baselines.delta('a', 5, 0)).toEqual([5, 0]); // forgotten: counts from zero
  });
});
