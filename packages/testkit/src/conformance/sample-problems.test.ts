import { describe, expect, it } from 'vitest';
import { sampleProblems } from './sample-problems.js';

const now = 1_750_000_000_000;

describe('sampleProblems', () => {
  it('accepts a full valid sample and a minimal one', () => {
    expect(
      sampleProblems(
        {
          time: now,
          hashrate: 1234.5,
          hashrate10s: 1200,
          hashrate60s: 1300,
          hashrate15m: undefined,
          shares: { accepted: 10, rejected: 0, stale: 1 },
          difficulty: 120_000,
          pool: 'pool.example:3333',
          algo: 'rx/0',
          uptimeSeconds: 42,
          devices: [
            { id: 'cpu0', hashrate: 600 },
            { id: '0000:01:00.0', hashrate: 634.5, temperatureC: 61 },
          ],
          warnings: ['hashrate reported as text'],
        },
        now,
      ),
    ).toEqual([]);
    expect(sampleProblems({ time: now, hashrate: undefined }, now)).toEqual([]);
  });

  it('lists every problem by path', () => {
    expect(
      sampleProblems(
        {
          time: now / 1000, // seconds, not ms
          hashrate: Number.NaN,
          hashrate60s: -1,
          shares: { accepted: 1.5, rejected: -1, invalid: '2' },
          devices: [{ id: 0 }, { id: 'gpu0' }, { id: 'gpu0', hashrate: Number.POSITIVE_INFINITY }],
          warnings: [1],
        },
        now,
      ),
    ).toEqual([
      `time: ${now / 1000} is not ms since the epoch near now (${now})`,
      'hashrate: must be a finite number ≥ 0 (H/s) or undefined',
      'hashrate60s: must be a finite number ≥ 0 (H/s) or undefined',
      'shares.accepted: must be an integer ≥ 0',
      'shares.rejected: must be an integer ≥ 0',
      'shares.invalid: must be an integer ≥ 0 when present',
      'devices.0.id: must be a non-empty string (a stable device id)',
      'devices.2.id: "gpu0" is not unique',
      'devices.2.hashrate: must be a finite number ≥ 0 (H/s) or undefined',
      'warnings: must be an array of strings when present',
    ]);
    expect(sampleProblems(null)).toEqual(['sample: must be an object']);
    expect(sampleProblems({ time: now }, now)).toEqual([
      'hashrate: must be present (undefined when unknown)',
    ]);
  });
});
