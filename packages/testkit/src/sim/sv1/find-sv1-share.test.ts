import { describe, expect, it } from 'vitest';
import type { StratumV1Job } from '../ttminer/stratum-v1-job.js';
import { findSv1Share, Sv1NonceSearch } from './find-sv1-share.js';
import { hashToBigInt, prepareSv1Job, sv1Target, verifySv1Share } from './sv1-share.js';

const JOB: StratumV1Job = {
  jobId: 'j1',
  prevHash: '4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000',
  coinb1:
    '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008',
  coinb2:
    '072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000',
  merkleBranch: [
    '2b4f6b7f6a1f1c0de0b8ac1d8b2c7e5c6f7a8b9c0d1e2f30415263748596a7b8',
    'c8b9a0f1e2d3c4b5a6978877665544332211ffeeddccbbaa9988776655443322',
  ],
  version: '20000000',
  nbits: '1c2ac4af',
  ntime: '504e86b9',
  cleanJobs: true,
};
const EXTRANONCE1 = '08000002';
const DIFFICULTY = 1 / 65536;

describe('findSv1Share', () => {
  it('finds a share the verifier accepts, and one changed byte of extranonce2 spoils it', () => {
    const share = findSv1Share({
      job: JOB,
      extranonce1: EXTRANONCE1,
      extranonce2: '00000001',
      difficulty: DIFFICULTY,
    });
    expect(share).toBeDefined();
    if (!share) return;
    expect(share).toMatchObject({ jobId: 'j1', extranonce2: '00000001', ntime: '504e86b9' });
    expect(share.nonce).toMatch(/^[0-9a-f]{8}$/);
    expect(share.versionBits).toBeUndefined();
    const context = { extranonce1: EXTRANONCE1, target: sv1Target(DIFFICULTY) };
    const verdict = verifySv1Share(JOB, share, context);
    expect(verdict.valid).toBe(true);
    expect(verdict.hash.equals(share.hash)).toBe(true);
    expect(hashToBigInt(share.hash) <= sv1Target(DIFFICULTY).value).toBe(true);
    expect(verifySv1Share(JOB, { ...share, extranonce2: '00000101' }, context).valid).toBe(false);
    expect(verifySv1Share(JOB, share, { ...context, extranonce1: '08000003' }).valid).toBe(false);
  });

  it('rolls the version: the share carries its bits and verifies only under the mask', () => {
    const mask = 0x1fffe000;
    const share = findSv1Share({
      job: prepareSv1Job(JOB),
      extranonce1: EXTRANONCE1,
      extranonce2: '00000002',
      difficulty: DIFFICULTY,
      versionBits: 0x00006000,
      versionMask: mask,
    });
    expect(share?.versionBits).toBe('00006000');
    if (!share) return;
    const target = sv1Target(DIFFICULTY);
    expect(
      verifySv1Share(JOB, share, { extranonce1: EXTRANONCE1, target, versionMask: mask }).valid,
    ).toBe(true);
    // Without the rolled version the header is a different one.
    expect(verifySv1Share(JOB, share, { extranonce1: EXTRANONCE1, target }).valid).toBe(false);
  });

  it('stops at its budget, resumes from a start nonce and finds the same nonce again', () => {
    const work = {
      job: JOB,
      extranonce1: EXTRANONCE1,
      extranonce2: '000000ff',
      difficulty: DIFFICULTY,
    };
    const first = findSv1Share(work);
    expect(first).toBeDefined();
    if (!first) return;
    const nonce = first.nonceValue;
    if (nonce > 0) expect(findSv1Share(work, { maxHashes: nonce })).toBeUndefined();
    expect(findSv1Share(work, { startNonce: nonce, maxHashes: 1 })?.nonce).toBe(first.nonce);
    const search = new Sv1NonceSearch(work);
    expect(search.search(nonce + 1, 0)).toBe(-1);
    expect(search.lastHashes).toBe(0);
    // Never past the nonce space.
    expect(search.search(2 ** 32 - 2, 100)).toBeLessThan(2 ** 32);
    expect(search.lastHashes).toBeLessThanOrEqual(2);
  });

  it('finds nothing when a higher difficulty is set on the same search', () => {
    const work = {
      job: JOB,
      extranonce1: EXTRANONCE1,
      extranonce2: '00000003',
      difficulty: DIFFICULTY,
    };
    const search = new Sv1NonceSearch(work);
    const nonce = search.search(0, 2 ** 22);
    expect(nonce).toBeGreaterThanOrEqual(0);
    search.setDifficulty(1_000_000);
    expect(search.search(nonce, 1)).toBe(-1);
  });
});
