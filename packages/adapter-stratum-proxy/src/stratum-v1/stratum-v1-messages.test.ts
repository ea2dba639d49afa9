import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseSv1Authorize,
  parseSv1Configure,
  parseSv1Notify,
  parseSv1Reconnect,
  parseSv1SetDifficulty,
  parseSv1SetExtranonce,
  parseSv1Submit,
  parseSv1Subscribe,
  parseSv1SubscribeResult,
  SV1_ERROR,
  sv1Error,
} from './stratum-v1-messages.js';

type Line = { id?: unknown; method?: string; params?: unknown; result?: unknown; error?: unknown };

const lines = readFileSync(
  new URL('../__fixtures__/stratum/stratum-v1-examples.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Line);

function paramsOf(method: string): unknown[] {
  const found = lines.filter((line) => line.method === method).map((line) => line.params);
  expect(found.length).toBeGreaterThan(0);
  return found;
}

const notify = paramsOf('mining.notify')[0] as unknown[];
const submit = ['w', 'bf', '00000001', '504e86ed', 'b2957c02'];

describe('fixture lines', () => {
  it('every request and notification of the fixture parses with its validator', () => {
    const parsers: Record<string, (params: unknown) => unknown> = {
      'mining.subscribe': parseSv1Subscribe,
      'mining.authorize': parseSv1Authorize,
      'mining.submit': parseSv1Submit,
      'mining.configure': parseSv1Configure,
      'mining.notify': parseSv1Notify,
      'mining.set_difficulty': parseSv1SetDifficulty,
      'mining.set_extranonce': parseSv1SetExtranonce,
      'client.reconnect': parseSv1Reconnect,
      'mining.extranonce.subscribe': (params) => (Array.isArray(params) ? {} : 'bad'),
    };
    const methods = lines.filter((line) => line.method !== undefined);
    expect(methods).toHaveLength(10);
    for (const line of methods) {
      const parse = parsers[line.method as string];
      expect(parse, line.method).toBeDefined();
      expect(typeof parse?.(line.params), line.method).not.toBe('string');
    }
  });

  it('reads the subscribe result', () => {
    const result = lines.find((line) => Array.isArray(line.result))?.result;
    expect(parseSv1SubscribeResult(result)).toEqual({
      extranonce1: '08000002',
      extranonce2Size: 4,
    });
  });

  it('matches the fixture error tuple', () => {
    const error = lines.find((line) => Array.isArray(line.error))?.error;
    expect(sv1Error(SV1_ERROR.LOW_DIFFICULTY, 'Low difficulty share')).toEqual(error);
  });
});

describe('parseSv1Subscribe', () => {
  it('reads the user agent and an optional session id', () => {
    expect(parseSv1Subscribe(['cgminer/4.10.0'])).toEqual({ userAgent: 'cgminer/4.10.0' });
    expect(parseSv1Subscribe(['bmminer/2.0', 'deadbeef'])).toEqual({
      userAgent: 'bmminer/2.0',
      sessionId: 'deadbeef',
    });
    expect(parseSv1Subscribe([])).toEqual({});
    expect(parseSv1Subscribe(undefined)).toEqual({});
    expect(parseSv1Subscribe([null, null, 'host', 3333])).toEqual({});
  });

  it.each([
    ['object params', {}],
    ['numeric agent', [5]],
    ['long agent', ['a'.repeat(257)]],
    ['long session', ['a', 's'.repeat(65)]],
    ['too many params', Array.from({ length: 17 }, () => null)],
  ])('refuses %s', (_label, params) => {
    expect(typeof parseSv1Subscribe(params)).toBe('string');
  });
});

describe('parseSv1Authorize', () => {
  it('reads user and pass, pass optional', () => {
    expect(parseSv1Authorize(['account.worker1', 'x'])).toEqual({
      user: 'account.worker1',
      pass: 'x',
    });
    expect(parseSv1Authorize(['u'])).toEqual({ user: 'u', pass: '' });
    expect(parseSv1Authorize(['u', null])).toEqual({ user: 'u', pass: '' });
  });

  it.each([
    ['no params', []],
    ['empty user', ['']],
    ['numeric user', [1, 'x']],
    ['long user', ['u'.repeat(513), 'x']],
    ['control characters', ['u\n', 'x']],
    ['long pass', ['u', 'p'.repeat(257)]],
  ])('refuses %s', (_label, params) => {
    expect(typeof parseSv1Authorize(params)).toBe('string');
  });

  it('never echoes the password', () => {
    const reason = parseSv1Authorize(['u', `hunter2${'p'.repeat(300)}`]);
    expect(reason).not.toContain('hunter2');
  });
});

describe('parseSv1Submit', () => {
  it('reads the five fields and lowercases hex', () => {
    expect(parseSv1Submit(['w', 'bf', '0000ABCD', '504E86ED', 'B2957C02'])).toEqual({
      worker: 'w',
      jobId: 'bf',
      extranonce2: '0000abcd',
      ntime: '504e86ed',
      nonce: 'b2957c02',
    });
  });

  it('reads version bits', () => {
    expect(parseSv1Submit([...submit, '1FFFE000'])).toMatchObject({ versionBits: '1fffe000' });
    expect(parseSv1Submit([...submit, null])).not.toHaveProperty('versionBits');
  });

  it.each([
    ['four params', submit.slice(0, 4)],
    ['numeric worker', [1, ...submit.slice(1)]],
    ['empty job id', ['w', '', ...submit.slice(2)]],
    ['job id longer than a tagged pool id', ['w', 'j'.repeat(145), ...submit.slice(2)]],
    ['odd extranonce2', ['w', 'bf', '0000001', '504e86ed', 'b2957c02']],
    ['empty extranonce2', ['w', 'bf', '', '504e86ed', 'b2957c02']],
    ['long extranonce2', ['w', 'bf', '00'.repeat(17), '504e86ed', 'b2957c02']],
    ['non-hex extranonce2', ['w', 'bf', '0000000z', '504e86ed', 'b2957c02']],
    ['short ntime', ['w', 'bf', '00000001', '504e86e', 'b2957c02']],
    ['numeric nonce', ['w', 'bf', '00000001', '504e86ed', 12]],
    ['bad version bits', [...submit, '1fffe0']],
    ['object', { worker: 'w' }],
  ])('refuses %s', (_label, params) => {
    expect(typeof parseSv1Submit(params)).toBe('string');
  });
});

describe('parseSv1Configure', () => {
  it('reads extensions and their params', () => {
    expect(
      parseSv1Configure([
        ['version-rolling'],
        { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2 },
      ]),
    ).toEqual({
      extensions: ['version-rolling'],
      params: { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2 },
    });
    expect(parseSv1Configure([['minimum-difficulty']])).toEqual({
      extensions: ['minimum-difficulty'],
      params: {},
    });
  });

  it.each([
    ['no extensions', []],
    ['extensions not an array', ['version-rolling', {}]],
    ['too many extensions', [Array.from({ length: 17 }, () => 'x'), {}]],
    ['numeric extension', [[1], {}]],
    ['params an array', [['version-rolling'], []]],
    [
      'too many params',
      [['x'], Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]))],
    ],
  ])('refuses %s', (_label, params) => {
    expect(typeof parseSv1Configure(params)).toBe('string');
  });
});

describe('parseSv1Notify', () => {
  it('reads the job id and clean flag and returns the params as received', () => {
    const parsed = parseSv1Notify(notify);
    expect(parsed).toEqual({ jobId: 'bf', clean: false, params: notify });
    expect((parsed as { params: unknown }).params).toBe(notify);
    const clean = [...notify.slice(0, 8), true];
    expect(parseSv1Notify(clean)).toMatchObject({ clean: true });
    const branch = [...notify];
    branch[4] = ['ab'.repeat(32), 'CD'.repeat(32)];
    expect(typeof parseSv1Notify(branch)).toBe('object');
  });

  const broken = (index: number, value: unknown) => {
    const copy = [...notify];
    copy[index] = value;
    return copy;
  };

  it.each([
    ['eight params', notify.slice(0, 8)],
    ['not an array', { job_id: 'bf' }],
    ['empty job id', broken(0, '')],
    ['short prevhash', broken(1, 'ab')],
    ['non-hex coinb1', broken(2, 'zz')],
    ['odd coinb2', broken(3, 'abc')],
    ['huge coinb1', broken(2, '00'.repeat(131_073))],
    ['branch not an array', broken(4, 'ab')],
    ['bad branch hash', broken(4, ['ab'])],
    [
      'long branch',
      broken(
        4,
        Array.from({ length: 33 }, () => 'ab'.repeat(32)),
      ),
    ],
    ['numeric version', broken(5, 2)],
    ['short nbits', broken(6, '1c2ac4')],
    ['bad ntime', broken(7, 'zzzzzzzz')],
    ['string clean flag', broken(8, 'false')],
  ])('refuses %s', (_label, params) => {
    expect(typeof parseSv1Notify(params)).toBe('string');
  });
});

describe('parseSv1SetDifficulty', () => {
  it('reads positive numbers', () => {
    expect(parseSv1SetDifficulty([1024])).toBe(1024);
    expect(parseSv1SetDifficulty([0.001])).toBe(0.001);
  });

  it.each([[[]], [[0]], [[-1]], [['1024']], [[Number.POSITIVE_INFINITY]], [null]])(
    'refuses %j',
    (params) => {
      expect(typeof parseSv1SetDifficulty(params)).toBe('string');
    },
  );
});

describe('extranonce', () => {
  it('reads set_extranonce and lowercases extranonce1', () => {
    expect(parseSv1SetExtranonce(['0800ABCD', 4])).toEqual({
      extranonce1: '0800abcd',
      extranonce2Size: 4,
    });
    expect(parseSv1SetExtranonce(['', 8])).toEqual({ extranonce1: '', extranonce2Size: 8 });
  });

  it.each([
    [['08000002']],
    [['0800002', 4]],
    [['00'.repeat(17), 4]],
    [['08000002', 0]],
    [['08000002', 17]],
    [['08000002', 4.5]],
    [['08000002', '4']],
  ])('refuses set_extranonce %j', (params) => {
    expect(typeof parseSv1SetExtranonce(params)).toBe('string');
  });

  it('refuses malformed subscribe results', () => {
    expect(typeof parseSv1SubscribeResult(true)).toBe('string');
    expect(typeof parseSv1SubscribeResult([[], '08000002'])).toBe('string');
    expect(typeof parseSv1SubscribeResult([[], 8, 4])).toBe('string');
  });
});

describe('parseSv1Reconnect', () => {
  it('reads host, port and wait, all optional', () => {
    expect(parseSv1Reconnect(['stratum.example.org', 3333, 0])).toEqual({
      host: 'stratum.example.org',
      port: 3333,
      waitSeconds: 0,
    });
    expect(parseSv1Reconnect(['stratum.example.org', '3333'])).toEqual({
      host: 'stratum.example.org',
      port: 3333,
    });
    expect(parseSv1Reconnect([])).toEqual({});
    expect(parseSv1Reconnect(undefined)).toEqual({});
  });

  it.each([
    [['a b', 3333]],
    [['h', 0]],
    [['h', 70_000]],
    [['h', 'x']],
    [['h', 3333, -1]],
    [['h', 3333, 86_401]],
    [{ host: 'h' }],
  ])('refuses %j', (params) => {
    expect(typeof parseSv1Reconnect(params)).toBe('string');
  });
});

describe('sv1Error', () => {
  it('builds [code, message, null] with the usual codes', () => {
    expect(sv1Error(SV1_ERROR.JOB_NOT_FOUND, 'Job not found')).toEqual([21, 'Job not found', null]);
    expect(SV1_ERROR).toEqual({
      OTHER: 20,
      JOB_NOT_FOUND: 21,
      DUPLICATE: 22,
      LOW_DIFFICULTY: 23,
      UNAUTHORIZED: 24,
      NOT_SUBSCRIBED: 25,
    });
  });
});
