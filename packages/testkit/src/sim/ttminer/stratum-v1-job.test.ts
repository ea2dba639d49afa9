import { describe, expect, it } from 'vitest';
import {
  DIFF1_TARGET,
  difficultyToTarget,
  formatDifficulty,
  parseDifficulty,
  parseExtranonce,
  parseReconnect,
  parseStratumV1Notify,
  parseSubscribeResult,
} from './stratum-v1-job.js';
import { V1 } from './testing/fixtures.js';

const params = (line: string) => JSON.parse(line).params;

describe('Stratum V1 messages (stratum-v1-examples.jsonl)', () => {
  it('reads the fixture notify', () => {
    expect(parseStratumV1Notify(params(V1.notify))).toEqual({
      jobId: 'bf',
      prevHash: '4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000',
      coinb1: expect.stringMatching(/^01000000010{64}ffffffff20/),
      coinb2: expect.stringMatching(/^072f736c7573682f/),
      merkleBranch: [],
      version: '00000002',
      nbits: '1c2ac4af',
      ntime: '504e86b9',
      cleanJobs: false,
    });
  });

  it('says why a notify is unusable', () => {
    const good = params(V1.notify) as unknown[];
    const broken = (index: number, value: unknown) => good.map((v, i) => (i === index ? value : v));
    expect(parseStratumV1Notify(good.slice(0, 8))).toBe('mining.notify needs 9 params');
    expect(parseStratumV1Notify(broken(0, ''))).toBe('bad job_id');
    expect(parseStratumV1Notify(broken(1, 'zz'))).toBe('bad prevhash');
    expect(parseStratumV1Notify(broken(2, 'abc'))).toBe('bad coinbase');
    expect(parseStratumV1Notify(broken(4, ['12']))).toBe('bad merkle_branch');
    expect(parseStratumV1Notify(broken(7, 504))).toBe('bad ntime');
    expect(parseStratumV1Notify(broken(8, 'false'))).toBe('bad clean_jobs');
    expect(parseStratumV1Notify({})).toBe('mining.notify needs 9 params');
  });

  it('reads the subscribe result, set_extranonce, set_difficulty and client.reconnect', () => {
    expect(parseSubscribeResult(JSON.parse(V1.subscribeResult).result)).toEqual({
      extranonce1: '08000002',
      extranonce2Size: 4,
    });
    expect(parseSubscribeResult([[], 'xyz', 4])).toBeUndefined();
    const [extranonce1, size] = params(V1.setExtranonce);
    expect(parseExtranonce(extranonce1, size)).toEqual({
      extranonce1: '08000002',
      extranonce2Size: 4,
    });
    expect(parseExtranonce('08', 0)).toBeUndefined();
    expect(parseExtranonce('08', 17)).toBeUndefined();
    expect(parseDifficulty(params(V1.setDifficulty))).toBe(1024);
    expect(parseDifficulty([0])).toBeUndefined();
    expect(parseDifficulty(['1024'])).toBeUndefined();
    expect(parseDifficulty([0.0005])).toBe(0.0005);
    const current = { host: '127.0.0.1', port: 3333 };
    expect(parseReconnect(params(V1.reconnect), current)).toEqual({
      host: 'stratum.example.org',
      port: 3333,
      waitSeconds: 0,
    });
    expect(parseReconnect([], current)).toEqual({ ...current, waitSeconds: 0 });
    expect(parseReconnect([null, '4444', 5], current)).toEqual({
      ...current,
      port: 4444,
      waitSeconds: 5,
    });
    expect(parseReconnect(['a b', 1], current)).toBeUndefined();
    expect(parseReconnect(['h', 70_000], current)).toBeUndefined();
    expect(parseReconnect(['h', 1, -1], current)).toBeUndefined();
  });

  it('prints difficulties like the canonical lines, never in exponent notation', () => {
    expect(formatDifficulty(1_070_000_000)).toBe('1.07G');
    expect(formatDifficulty(1024)).toBe('1.02K');
    expect(formatDifficulty(999_999)).toBe('1.00M');
    expect(formatDifficulty(16)).toBe('16');
    expect(formatDifficulty(0.0005)).toBe('0.0005');
    expect(formatDifficulty(1e-7)).toBe('0.0000001');
    expect(formatDifficulty(2e18)).toBe('2000.00P');
  });

  it('turns a difficulty into the SHA-256d share target', () => {
    expect(difficultyToTarget(1)).toBe(DIFF1_TARGET);
    expect(difficultyToTarget(2)).toBe(DIFF1_TARGET / 2n);
    expect(difficultyToTarget(0.5)).toBe(DIFF1_TARGET * 2n);
    expect(DIFF1_TARGET.toString(16).padStart(64, '0')).toBe(`00000000ffff${'0'.repeat(52)}`);
  });
});
