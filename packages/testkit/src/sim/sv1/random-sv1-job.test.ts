import { describe, expect, it } from 'vitest';
import { parseStratumV1Notify } from '../ttminer/stratum-v1-job.js';
import { randomSv1Job, sv1NotifyParams } from './random-sv1-job.js';
import { RecentShareSet } from './recent-share-set.js';
import { buildCoinbase } from './sv1-share.js';

describe('randomSv1Job', () => {
  it('makes a job mining.notify parsers accept, with a coinbase whose script fits the extranonce', () => {
    for (const [size1, size2] of [
      [4, 4],
      [8, 2],
      [1, 16],
    ] as const) {
      const job = randomSv1Job({
        jobId: 'a1',
        height: 840_001,
        extranonce1Size: size1,
        extranonce2Size: size2,
        cleanJobs: true,
        ntime: 0x66000000,
      });
      expect(parseStratumV1Notify(sv1NotifyParams(job))).toEqual(job);
      expect(job).toMatchObject({ version: '20000000', ntime: '66000000', cleanJobs: true });
      expect(job.merkleBranch.length).toBeGreaterThanOrEqual(2);
      expect(job.merkleBranch.length).toBeLessThanOrEqual(4);
      const coinbase = buildCoinbase(job, 'aa'.repeat(size1), 'bb'.repeat(size2));
      // version 4, input count 1, previous output 36, then the script length.
      const scriptLength = coinbase[41] ?? 0;
      const script = coinbase.subarray(42, 42 + scriptLength);
      // BIP 34: the height (840001 = 0x0cd141), pushed as 3 little-endian bytes, opens the script.
      expect(script.subarray(0, 4).toString('hex')).toBe('0341d10c');
      expect(script.toString('hex')).toContain(`${'aa'.repeat(size1)}${'bb'.repeat(size2)}`);
      expect(coinbase.subarray(42 + scriptLength, 46 + scriptLength).toString('hex')).toBe(
        'ffffffff',
      );
      expect(coinbase.subarray(-4).toString('hex')).toBe('00000000');
    }
  });

  it('differs every time', () => {
    const options = {
      jobId: '1',
      height: 1,
      extranonce1Size: 4,
      extranonce2Size: 4,
      cleanJobs: false,
    };
    expect(randomSv1Job(options).prevHash).not.toBe(randomSv1Job(options).prevHash);
  });
});

describe('RecentShareSet', () => {
  it('remembers the newest shares and never holds more than its capacity', () => {
    const set = new RecentShareSet(4);
    for (const key of ['a', 'b', 'c', 'd', 'e']) set.add(key);
    expect(set.size).toBeLessThanOrEqual(4);
    expect(set.has('e')).toBe(true);
    expect(set.has('d')).toBe(true);
    expect(set.has('a')).toBe(false);
    for (let i = 0; i < 1000; i++) set.add(String(i));
    expect(set.size).toBeLessThanOrEqual(4);
    expect(set.has('999')).toBe(true);
    expect(set.has('998')).toBe(true);
  });
});
