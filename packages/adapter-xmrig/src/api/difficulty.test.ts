import { describe, expect, it } from 'vitest';
import { parseDifficulty } from './difficulty.js';

describe('parseDifficulty', () => {
  it('treats the UINT64_MAX sentinel from a real /2/summary as "no difficulty yet"', () => {
    // Verbatim fragment of a bench-mode summary: JSON.parse rounds the sentinel.
    const summary = JSON.parse('{"results":{"diff_current":18446744073709551615}}');
    expect(parseDifficulty(summary.results.diff_current)).toBeUndefined();
  });

  it('keeps real difficulties and rejects junk', () => {
    expect(parseDifficulty(10_000)).toBe(10_000);
    expect(parseDifficulty(0)).toBe(0);
    expect(parseDifficulty(-1)).toBeUndefined();
    expect(parseDifficulty('10000')).toBeUndefined();
    expect(parseDifficulty(null)).toBeUndefined();
    expect(parseDifficulty(Number.NaN)).toBeUndefined();
  });
});
