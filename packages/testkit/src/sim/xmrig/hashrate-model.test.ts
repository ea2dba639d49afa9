import { describe, expect, it } from 'vitest';
import { HashrateModel } from './hashrate-model.js';

const model = (seed = 42, hashrate = 1000, threads = 2) =>
  new HashrateModel({ seed, hashrate, threads });

/** Advances `m` to `t` and reads it there. */
const at = (m: HashrateModel, t: number) => {
  m.advanceTo(t);
  return m.read(t);
};

describe('HashrateModel', () => {
  it('gives the same values for the same seed and calls, and different ones for another seed', () => {
    const read = (seed: number) => {
      const m = model(seed);
      return [15, 30, 61.5, 75, 120].map((t) => at(m, t).total);
    };
    expect(read(42)).toEqual(read(42));
    expect(read(42)).not.toEqual(read(43));
  });

  it('does not depend on how often it is read', () => {
    const often = model();
    for (let t = 0; t <= 100; t += 0.25) {
      often.read(t);
      at(often, t);
    }
    const once = model();
    expect(at(once, 100)).toEqual(at(often, 100));
  });

  it('keeps each window null until a report older than it exists, like xmrig', () => {
    const m = model();
    // Reports come once a second from 1 s: at exactly 10 s the 10 s window is not filled.
    expect(at(m, 10).total).toEqual([null, null, null]);
    expect(at(m, 11.5).total[0]).not.toBeNull();
    expect(at(m, 60).total[1]).toBeNull();
    expect(at(m, 61.5).total[1]).not.toBeNull();
    expect(at(m, 900).total[2]).toBeNull();
    const late = at(m, 901.5).total;
    expect(late.every((value) => value !== null)).toBe(true);
  });

  it('averages to the configured hashrate, split between threads', () => {
    const m = model(7, 2500, 4);
    const { total, threads } = at(m, 1000);
    for (const value of total) expect(value).toBeGreaterThan(2500 * 0.97);
    for (const value of total) expect(value).toBeLessThan(2500 * 1.03);
    expect(threads).toHaveLength(4);
    const sum = threads.reduce((acc, triple) => acc + (triple[1] as number), 0);
    expect(sum).toBeCloseTo(total[1] as number, 6);
    expect(m.totalHashes()).toBeGreaterThan(2500 * 1000 * 0.99);
  });

  it('decays honestly to 0 while inactive and tracks the highest 10 s value', () => {
    const m = model();
    at(m, 70);
    const highest = m.highest();
    expect(highest).toBeGreaterThan(900);
    m.setActive(false, 70);
    expect(m.rate).toBe(0);
    // 11 s later the 10 s window holds no hash; the 60 s one still has some.
    const after = at(m, 82).total;
    expect(after[0]).toBe(0);
    expect(after[1]).toBeGreaterThan(0);
    expect(at(m, 200).total[1]).toBe(0);
    expect(m.highest()).toBe(highest);
  });
});
