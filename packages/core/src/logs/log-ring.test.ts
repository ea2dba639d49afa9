import { describe, expect, it } from 'vitest';
import { LogRing } from './log-ring.js';

describe('LogRing', () => {
  it('keeps the newest lines up to its capacity', () => {
    const ring = new LogRing(3);
    for (let i = 1; i <= 5; i++) ring.push(i, 'stdout', `line ${i}`);
    expect(ring.size).toBe(3);
    expect(ring.tail(10).map((e) => e.text)).toEqual(['line 3', 'line 4', 'line 5']);
    expect(ring.tail(2).map((e) => e.seq)).toEqual([4, 5]);
    expect(ring.tail(0)).toEqual([]);
  });

  it('reads after a cursor, skipping what was overwritten, with a limit', () => {
    const ring = new LogRing(4);
    for (let i = 1; i <= 10; i++) ring.push(i, 'stderr', `l${i}`);
    expect(ring.since(0).map((e) => e.seq)).toEqual([7, 8, 9, 10]);
    expect(ring.since(8).map((e) => e.seq)).toEqual([9, 10]);
    expect(ring.since(7, 2).map((e) => e.seq)).toEqual([8, 9]);
    expect(ring.since(10)).toEqual([]);
    expect(ring.since(99)).toEqual([]);
  });

  it('marks truncated lines and rejects a bad capacity', () => {
    const ring = new LogRing(2);
    expect(ring.push(1, 'stdout', 'x', true).truncated).toBe(true);
    expect(() => new LogRing(0)).toThrow(RangeError);
  });
});
