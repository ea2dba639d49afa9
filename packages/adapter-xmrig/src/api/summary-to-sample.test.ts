import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureJson, fixtureNames } from '../test-support/fixtures.js';
import { summaryToSample } from './summary-to-sample.js';

const now = 1_790_000_000_000;

describe('summaryToSample over the captured /2/summary fixtures', () => {
  it('2_summary.json (bench, 60 s): only the 10 s window, no difficulty yet (UINT64_MAX)', () => {
    expect(summaryToSample(fixtureJson('2_summary.json'), { now })).toEqual({
      time: now,
      hashrate: 21.75,
      hashrate10s: 21.75,
      shares: { accepted: 0, rejected: 0 },
      pool: 'benchmark:3333',
      algo: 'rx/0',
      uptimeSeconds: 60,
    });
  });

  it('2_summary_after_70s.json: the 60 s window is filled', () => {
    const sample = summaryToSample(fixtureJson('2_summary_after_70s.json'), { now });
    expect(sample).toMatchObject({ hashrate: 20.27, hashrate10s: 20.27, hashrate60s: 18.67 });
    expect(sample.hashrate15m).toBeUndefined();
    expect(sample.difficulty).toBeUndefined();
    expect(sample.warnings).toBeUndefined();
  });

  it('2_summary_pool_job_mode.json: shares 5 accepted, 2 rejected, difficulty 100', () => {
    expect(summaryToSample(fixtureJson('2_summary_pool_job_mode.json'), { now })).toEqual({
      time: now,
      hashrate: 18.55,
      hashrate10s: 18.55,
      shares: { accepted: 5, rejected: 2 },
      difficulty: 100,
      pool: '127.0.0.1:13333',
      algo: 'rx/0',
      uptimeSeconds: 35,
    });
  });

  it('2_summary_no_pool.json: zero hashrate is kept, empty pool / null algo / diff 0 left out', () => {
    expect(summaryToSample(fixtureJson('2_summary_no_pool.json'), { now })).toEqual({
      time: now,
      hashrate: 0,
      hashrate10s: 0,
      hashrate60s: 0,
      hashrate15m: 0,
      shares: { accepted: 0, rejected: 0 },
      uptimeSeconds: 3,
    });
  });

  it('2_summary_unrestricted.json: all windows null → hashrate unknown, not zero', () => {
    const sample = summaryToSample(fixtureJson('2_summary_unrestricted.json'), { now });
    expect(sample.hashrate).toBeUndefined();
    expect('hashrate' in sample).toBe(true);
    expect(sample.hashrate10s).toBeUndefined();
    expect(sample.warnings).toBeUndefined();
  });

  it('1_summary.json (v1 shape): same fields, per-thread rows from hashrate.threads', () => {
    expect(summaryToSample(fixtureJson('1_summary.json'), { now })).toEqual({
      time: now,
      hashrate: 21.44,
      hashrate10s: 21.44,
      shares: { accepted: 0, rejected: 0 },
      pool: 'benchmark:3333',
      algo: 'rx/0',
      uptimeSeconds: 60,
      devices: [{ id: 'cpu:0', name: 'cpu thread 0', hashrate: 21.44 }],
    });
  });

  it('never reads hashes_total as a hash count nor cpu.threads as mining threads', () => {
    const json = fixtureJson('2_summary_pool_job_mode.json') as Record<string, unknown>;
    const sample = summaryToSample(json, { now });
    expect(JSON.stringify(sample)).not.toContain('500'); // hashes_total
    expect(sample.devices).toBeUndefined(); // cpu.threads = 2 logical CPUs
  });

  it('maps every summary fixture without warnings', () => {
    for (const name of fixtureNames().filter((n) => /^[12]_summary/.test(n))) {
      expect(summaryToSample(fixtureJson(name), { now }).warnings, name).toBeUndefined();
    }
  });
});

describe('summaryToSample with surprising values', () => {
  it('leaves out and names what it cannot use, never echoing string values', () => {
    const sample = summaryToSample(
      {
        uptime: 'SENTINEL-PASS-9f3a',
        algo: 42,
        hashrate: { total: [-1, 'fast', Number.POSITIVE_INFINITY] },
        results: { shares_good: 3, shares_total: 2, diff_current: 'big' },
        connection: { pool: '', accepted: 1.5, rejected: 0, diff: 5000 },
      },
      { now },
    );
    expect(sample).toEqual({
      time: now,
      hashrate: undefined,
      difficulty: 5000,
      warnings: [
        'hashrate.total.0: expected a number ≥ 0, got -1',
        'hashrate.total.1: expected a number ≥ 0, got a string',
        'hashrate.total.2: expected a number ≥ 0, got Infinity',
        'results: shares_total is below shares_good',
        'connection.accepted: expected an integer ≥ 0, got 1.5',
        'results.diff_current: expected a number ≥ 0, got a string',
        'algo: expected a string, got 42',
        'uptime: expected a number ≥ 0, got a string',
      ],
    });
  });

  it('falls back to the connection counters and difficulty', () => {
    expect(
      summaryToSample(
        { hashrate: { total: [null, 5, null] }, connection: { accepted: 4, rejected: 1, diff: 7 } },
        { now },
      ),
    ).toMatchObject({
      hashrate: 5,
      hashrate60s: 5,
      shares: { accepted: 4, rejected: 1 },
      difficulty: 7,
    });
  });

  it('copes with non-objects and missing sections', () => {
    expect(summaryToSample([], { now })).toEqual({
      time: now,
      hashrate: undefined,
      warnings: ['summary: expected an object, got an array'],
    });
    expect(summaryToSample(null, { now }).warnings).toEqual([
      'summary: expected an object, got none',
    ]);
    expect(summaryToSample({}, { now }).warnings).toEqual(['hashrate.total: missing']);
  });

  it('never throws and keeps warnings bounded, whatever the JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const sample = summaryToSample(
          { hashrate: a, results: b, connection: a, uptime: b },
          { now },
        );
        expect(sample.time).toBe(now);
        expect((sample.warnings ?? []).length).toBeLessThanOrEqual(17);
        summaryToSample(a, { now });
      }),
      { numRuns: 300 },
    );
  });
});
