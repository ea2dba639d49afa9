import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../shared/mulberry32.js';
import { makeNonce, makeResult } from './share-result.js';
import { NONCE_OFFSET, parseStratumJob, parseTarget, resultDifficulty } from './stratum-job.js';
import { readFixture } from './testing/read-fixture.js';

const poolSide = readFixture('stratum/cryptonote-pool-side.jsonl')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));
const clientSide = readFixture('stratum/cryptonote-xmrig-client-job-mode.jsonl')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line));

describe('stratum jobs', () => {
  it('computes xmrig difficulty from a 4-byte or 8-byte little-endian target', () => {
    expect(parseTarget('b88d0600')?.diff).toBe(10_000n);
    expect(parseTarget('ffffffffffffff00')?.diff).toBe(256n);
    expect(parseTarget('zz')).toBeUndefined();
    expect(parseTarget('00000000')).toBeUndefined();
  });

  it('reads the fixture login job and job notification', () => {
    const login = parseStratumJob(poolSide[0].result.job);
    const notified = parseStratumJob(poolSide[2].params);
    for (const job of [login, notified]) {
      if (typeof job === 'string') throw new Error(job);
      expect(job.blob).toHaveLength(76);
      expect(job.diff).toBe(10_000n);
      expect(job.algo).toBe('rx/0');
    }
    expect(parseStratumJob({ ...poolSide[0].result.job, blob: 'abcd' })).toBe('invalid blob');
  });

  it("reads the difficulty met by the fixture's submitted results (diff 100 jobs)", () => {
    for (const message of clientSide.filter((m) => m.method === 'submit')) {
      expect(resultDifficulty(Buffer.from(message.params.result, 'hex'))).toBeGreaterThanOrEqual(
        100n,
      );
    }
  });

  it('keeps the NiceHash byte (blob byte 42, nonce byte 3) and varies the others', () => {
    const blob = Buffer.alloc(76);
    blob[NONCE_OFFSET + 3] = 0x5a;
    expect(makeNonce(0x123456, blob, true)).toBe('5634125a');
    expect(makeNonce(0x1123456, blob, true)).toBe('5634125a');
    expect(makeNonce(0x17, blob, false)).toBe('17000000');
  });

  it('makes good results below the target and bad ones at or above it', () => {
    const random = mulberry32(1);
    const { target } = parseTarget('b88d0600') as { target: bigint };
    for (let i = 0; i < 200; i++) {
      const good = makeResult(random, target, true);
      expect(good.result).toMatch(/^[0-9a-f]{64}$/);
      expect(Buffer.from(good.result, 'hex').readBigUInt64LE(24) < target).toBe(true);
      expect(good.actualDiff).toBeGreaterThanOrEqual(10_000n);
      const bad = makeResult(random, target, false);
      expect(Buffer.from(bad.result, 'hex').readBigUInt64LE(24) >= target).toBe(true);
    }
  });
});
