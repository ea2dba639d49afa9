import { describe, expect, it } from 'vitest';
import { parseDifficulty, parseDifficultyText } from './difficulty.js';

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

describe('parseDifficultyText', () => {
  it('reads stdout difficulties, with K/M/G/T suffixes', () => {
    expect(parseDifficultyText('100')).toBe(100);
    expect(parseDifficultyText('480045')).toBe(480_045);
    expect(parseDifficultyText('1.5K')).toBe(1500);
    expect(parseDifficultyText('2M')).toBe(2_000_000);
    expect(parseDifficultyText('18446744073709551615')).toBeUndefined();
    expect(parseDifficultyText('n/a')).toBeUndefined();
    expect(parseDifficultyText('-5')).toBeUndefined();
  });
});
