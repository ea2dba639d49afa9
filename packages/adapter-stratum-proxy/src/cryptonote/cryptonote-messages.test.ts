import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CnJob,
  cnError,
  nonceTopByte,
  parseCnJob,
  parseCnLogin,
  parseCnLoginResult,
  parseCnSubmit,
  withNiceHashByte,
} from './cryptonote-messages.js';

type Line = { id?: unknown; method?: string; params?: unknown; result?: unknown; error?: unknown };

function fixture(name: string): Line[] {
  const text = readFileSync(new URL(`../__fixtures__/stratum/${name}`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);
}

const clientLines = [
  ...fixture('cryptonote-xmrig-client-job-mode.jsonl'),
  ...fixture('cryptonote-xmrig-client-login-error.jsonl'),
];
const poolLines = fixture('cryptonote-pool-side.jsonl');
const logins = clientLines.filter((line) => line.method === 'login');
const submits = clientLines.filter((line) => line.method === 'submit');
const poolJob = poolLines.find((line) => line.method === 'job');
const loginResult = poolLines.find(
  (line) => typeof line.result === 'object' && line.result !== null && 'job' in line.result,
);

const HEX64 = 'a'.repeat(64);
const submit = { id: 'sess', job_id: 'job1', nonce: '17000000', result: HEX64 };
const job = { blob: '0'.repeat(152), job_id: 'j1', target: 'b88d0600' };

describe('fixture coverage', () => {
  it('has the lines the tests below rely on', () => {
    expect(logins).toHaveLength(2);
    expect(submits).toHaveLength(7);
    expect(poolJob).toBeDefined();
    expect(loginResult).toBeDefined();
  });
});

describe('parseCnLogin', () => {
  it.each(logins.map((line, i) => [i, line.params]))('accepts fixture login %i', (_i, params) => {
    const login = parseCnLogin(params);
    expect(login).toMatchObject({
      login: 'test',
      pass: 'x',
      agent: expect.stringContaining('XMRig/6.26.0'),
      rigid: 'rig1',
    });
    expect((login as { algo: string[] }).algo).toContain('rx/0');
  });

  it('defaults a missing pass to empty and omits absent optionals', () => {
    expect(parseCnLogin({ login: 'w' })).toEqual({ login: 'w', pass: '' });
  });

  it.each([
    ['not an object', null],
    ['an array', ['w']],
    ['missing login', { pass: 'x' }],
    ['empty login', { login: '' }],
    ['numeric login', { login: 5 }],
    ['long login', { login: 'w'.repeat(513) }],
    ['control characters', { login: 'w\u0000' }],
    ['long pass', { login: 'w', pass: 'p'.repeat(257) }],
    ['numeric pass', { login: 'w', pass: 1 }],
    ['long agent', { login: 'w', agent: 'a'.repeat(257) }],
    ['long rigid', { login: 'w', rigid: 'r'.repeat(65) }],
    ['algo not an array', { login: 'w', algo: 'rx/0' }],
    ['too many algos', { login: 'w', algo: Array.from({ length: 65 }, () => 'rx/0') }],
    ['long algo name', { login: 'w', algo: ['a'.repeat(33)] }],
    ['non-string algo', { login: 'w', algo: [7] }],
  ])('refuses %s with a reason', (_label, params) => {
    expect(typeof parseCnLogin(params)).toBe('string');
  });

  it('never echoes the pass in its reason', () => {
    const secret = `hunter2-${'p'.repeat(300)}`;
    const reason = parseCnLogin({ login: 'w', pass: secret });
    expect(typeof reason).toBe('string');
    expect(reason).not.toContain('hunter2');
  });
});

describe('parseCnSubmit', () => {
  it.each(submits.map((line, i) => [i, line.params]))('accepts fixture submit %i', (_i, params) => {
    const share = parseCnSubmit(params);
    const raw = params as Record<string, string>;
    expect(share).toEqual({
      id: raw.id,
      jobId: raw.job_id,
      nonce: raw.nonce,
      result: raw.result,
      algo: 'rx/0',
    });
  });

  it('lowercases hex', () => {
    expect(parseCnSubmit({ ...submit, nonce: 'ABCDEF01', result: 'F'.repeat(64) })).toMatchObject({
      nonce: 'abcdef01',
      result: 'f'.repeat(64),
    });
  });

  it.each([
    ['not an object', 'x'],
    ['missing id', { ...submit, id: undefined }],
    ['empty job id', { ...submit, job_id: '' }],
    ['long job id', { ...submit, job_id: 'j'.repeat(129) }],
    ['short nonce', { ...submit, nonce: '170000' }],
    ['long nonce', { ...submit, nonce: '1700000000' }],
    ['non-hex nonce', { ...submit, nonce: '1700000g' }],
    ['numeric nonce', { ...submit, nonce: 17 }],
    ['short result', { ...submit, result: 'a'.repeat(63) }],
    ['bad algo', { ...submit, algo: 'a'.repeat(33) }],
  ])('refuses %s', (_label, params) => {
    expect(typeof parseCnSubmit(params)).toBe('string');
  });
});

describe('parseCnJob', () => {
  it('accepts the fixture job notification and keeps unknown fields', () => {
    const parsed = parseCnJob(poolJob?.params) as CnJob;
    expect(parsed).toMatchObject({
      jobId: '4BiGm3/RgGQzgkTI/xV0smdA+EGZ',
      target: 'b88d0600',
      algo: 'rx/0',
      height: 3_100_001,
      seedHash: '4d5c9b7a6e3f2d1c0b9a8f7e6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a',
    });
    expect(parsed.blob).toHaveLength(152);
    expect(parsed.raw).toBe(poolJob?.params);
    expect(parsed.raw.id).toBe('1be0b7b6b15a47be');
  });

  it('accepts the job inside the fixture login result', () => {
    const result = loginResult?.result as { job: unknown };
    expect(parseCnJob(result.job)).toMatchObject({ jobId: 'q7PLUPL25UV0z5Ij14IyMk8htXbj' });
  });

  it('accepts 8-byte targets and the blob length bounds', () => {
    expect(parseCnJob({ ...job, target: '0000000000000100' })).toMatchObject({
      target: '0000000000000100',
    });
    expect(typeof parseCnJob({ ...job, blob: '0'.repeat(86) })).toBe('object');
    expect(typeof parseCnJob({ ...job, blob: '0'.repeat(4096) })).toBe('object');
  });

  it.each([
    ['not an object', []],
    ['short blob', { ...job, blob: '0'.repeat(84) }],
    ['long blob', { ...job, blob: '0'.repeat(4098) }],
    ['odd blob', { ...job, blob: '0'.repeat(153) }],
    ['non-hex blob', { ...job, blob: `${'0'.repeat(150)}zz` }],
    ['empty job id', { ...job, job_id: '' }],
    ['job id with space', { ...job, job_id: 'a b' }],
    ['job id too long', { ...job, job_id: 'j'.repeat(129) }],
    ['6-digit target', { ...job, target: 'b88d06' }],
    ['numeric target', { ...job, target: 1234 }],
    ['negative height', { ...job, height: -1 }],
    ['fractional height', { ...job, height: 1.5 }],
    ['short seed hash', { ...job, seed_hash: 'ab' }],
    ['bad algo', { ...job, algo: '' }],
  ])('refuses %s', (_label, value) => {
    expect(typeof parseCnJob(value)).toBe('string');
  });
});

describe('parseCnLoginResult', () => {
  it('reads the fixture login result', () => {
    expect(parseCnLoginResult(loginResult?.result)).toMatchObject({
      id: '1be0b7b6b15a47be',
      job: { target: 'b88d0600' },
      extensions: ['algo', 'nicehash', 'connect', 'tls', 'keepalive'],
      status: 'OK',
    });
  });

  it('refuses a result without a session id or a valid job', () => {
    expect(typeof parseCnLoginResult({ job })).toBe('string');
    expect(typeof parseCnLoginResult({ id: 's', job: { ...job, target: 'x' } })).toBe('string');
    expect(typeof parseCnLoginResult({ id: 's', job, extensions: 'nicehash' })).toBe('string');
    expect(parseCnLoginResult({ id: 's', job })).toMatchObject({ extensions: [] });
  });
});

describe('nicehash byte', () => {
  it('sets blob byte 42 and leaves everything else', () => {
    const blob = (poolJob?.params as { blob: string } | undefined)?.blob ?? '';
    expect(blob).toHaveLength(152);
    const changed = withNiceHashByte(blob, 0xab);
    expect(changed).toHaveLength(blob.length);
    expect(changed.slice(84, 86)).toBe('ab');
    expect(changed.slice(0, 84)).toBe(blob.slice(0, 84));
    expect(changed.slice(86)).toBe(blob.slice(86));
    expect(withNiceHashByte(blob, 5).slice(84, 86)).toBe('05');
  });

  it('reads the top byte of a little-endian nonce', () => {
    expect(nonceTopByte('17000000')).toBe(0);
    expect(nonceTopByte('000000c4')).toBe(0xc4);
    expect(nonceTopByte('ffffff07')).toBe(7);
  });

  it('round-trips: a miner that keeps byte 42 submits a nonce with that top byte', () => {
    const blob = withNiceHashByte('0'.repeat(152), 0x42);
    // the nonce is blob bytes 39–42, hex digits 78–85
    expect(nonceTopByte(blob.slice(78, 86))).toBe(0x42);
  });
});

describe('cnError', () => {
  it('builds the error object with code -1 by default', () => {
    expect(cnError('Low difficulty share')).toEqual({ code: -1, message: 'Low difficulty share' });
    expect(cnError('Unauthenticated', -32_000)).toEqual({
      code: -32_000,
      message: 'Unauthenticated',
    });
  });
});
