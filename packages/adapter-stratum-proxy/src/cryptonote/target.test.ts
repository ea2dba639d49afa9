import { describe, expect, it } from 'vitest';
import { targetToDifficulty } from './target.js';

describe('targetToDifficulty', () => {
  it('reads the 4-byte little-endian target a real pool sends (b88d0600 ≈ 10,000)', () => {
    const difficulty = targetToDifficulty('b88d0600');
    expect(difficulty).toBeGreaterThan(9_990);
    expect(difficulty).toBeLessThan(10_010);
  });

  it('reads 8-byte targets', () => {
    // 2^64 / 2^48 = 65536
    expect(targetToDifficulty('0000000000000100')).toBe(65_536);
  });

  it('rejects malformed and zero targets', () => {
    expect(targetToDifficulty('xyz')).toBeUndefined();
    expect(targetToDifficulty('b88d06')).toBeUndefined();
    expect(targetToDifficulty('0000000000000000')).toBeUndefined();
    expect(targetToDifficulty(1234)).toBeUndefined();
  });
});
