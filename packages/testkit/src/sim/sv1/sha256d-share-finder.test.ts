import { describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../../leaks/expect-no-leaks.js';
import { mulberry32 } from '../shared/mulberry32.js';
import { SimClock } from '../shared/sim-clock.js';
import type { StratumV1Share } from '../ttminer/share-finder.js';
import type { StratumV1Job } from '../ttminer/stratum-v1-job.js';
import { sha256dShareFinder } from './sha256d-share-finder.js';
import { spreadOverMask } from './sv1-hash-loop.js';
import { sv1Target, verifySv1Share } from './sv1-share.js';

const JOB: StratumV1Job = {
  jobId: 'bf',
  prevHash: '4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000',
  coinb1: '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff2002',
  coinb2: '072f736c7573682f00000000',
  merkleBranch: ['ab'.repeat(32)],
  version: '00000002',
  nbits: '1c2ac4af',
  ntime: '504e86b9',
  cleanJobs: false,
};
const EASY = 2 ** -20;

describe('sha256dShareFinder', () => {
  it('finds real shares for the TT-Miner simulator, without repeats when only the difficulty changes', async () => {
    await expectNoLeaks(async () => {
      const shares: StratumV1Share[] = [];
      let resolve: () => void = () => {};
      let wanted = 3;
      const enough = () =>
        new Promise<void>((r) => {
          resolve = r;
        });
      const finder = sha256dShareFinder({
        clock: new SimClock(),
        timing: mulberry32(1),
        content: mulberry32(2),
        onShare: (share) => {
          shares.push(share);
          if (shares.length >= wanted) resolve();
        },
      });
      const work = { job: JOB, extranonce1: '08000002', extranonce2Size: 4, difficulty: EASY };
      finder.setWork(work);
      finder.setHashrate(1e12);
      await enough();
      finder.setWork({ ...work, difficulty: EASY / 2 });
      wanted = 6;
      await enough();
      finder.dispose();
      const keys = shares.map((share) => `${share.extranonce2}/${share.nonce}`);
      expect(new Set(keys).size).toBe(keys.length);
      for (const share of shares) {
        expect(share.jobId).toBe('bf');
        const verdict = verifySv1Share(JOB, share, {
          extranonce1: '08000002',
          target: sv1Target(EASY / 2),
        });
        expect(verdict.valid).toBe(true);
      }
    });
  });
});

describe('spreadOverMask', () => {
  it('puts the bits of a counter into the mask, lowest first', () => {
    expect(spreadOverMask(1, 0x1fffe000)).toBe(0x2000);
    expect(spreadOverMask(3, 0x1fffe000)).toBe(0x6000);
    expect(spreadOverMask(5, 0b1010_1000)).toBe(0b1000_1000);
    expect(spreadOverMask(0, 0xffffffff)).toBe(0);
  });
});
