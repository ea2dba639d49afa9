import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../shared/ansi.js';
import { formatHashrate, formatSpeedMessage, normalizeHashrate } from './format-hashrate.js';

describe('formatHashrate', () => {
  it('prints like xmrig: 2 decimals below 100, 1 from 100, n/a for null and for 0', () => {
    expect(formatHashrate(23.02)).toBe('23.02');
    expect(formatHashrate(5.5)).toBe('5.50');
    expect(formatHashrate(320.54)).toBe('320.5');
    expect(formatHashrate(null)).toBe('n/a');
    expect(formatHashrate(0)).toBe('n/a');
  });

  it('floors to 2 decimals for the API', () => {
    expect(normalizeHashrate(21.759)).toBe(21.75);
  });

  it('builds the speed line message, switching to MH/s from a million', () => {
    expect(stripAnsi(formatSpeedMessage([23.02, null, null], 24.07))).toBe(
      'speed 10s/60s/15m 23.02 n/a n/a H/s max 24.07 H/s',
    );
    expect(stripAnsi(formatSpeedMessage([null, null, null], 0))).toBe(
      'speed 10s/60s/15m n/a n/a n/a H/s max n/a H/s',
    );
    expect(stripAnsi(formatSpeedMessage([1_250_000, 999_000, null], 1_300_000))).toBe(
      'speed 10s/60s/15m 1.25 1.00 n/a MH/s max 1.30 MH/s',
    );
  });
});
