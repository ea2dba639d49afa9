import { describe, expect, it } from 'vitest';
import { parseShareTotals } from './share-totals.js';

describe('parseShareTotals', () => {
  it('reads hashrate in H/s and share counts', () => {
    expect(parseShareTotals('25123456;120;3')).toEqual({
      hashrate: 25_123_456,
      accepted: 120,
      rejected: 3,
    });
  });

  it('rejects short, empty and non-numeric fields', () => {
    expect(parseShareTotals('25123456;120')).toBeUndefined();
    expect(parseShareTotals(';;')).toBeUndefined();
    expect(parseShareTotals('off;1;2')).toBeUndefined();
    expect(parseShareTotals(42)).toBeUndefined();
    expect(parseShareTotals('-1;0;0')).toBeUndefined();
  });
});
