import { isRigkitError, type Sample } from '@rigkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureJson, fixtureText } from '../test-support/fixtures.js';
import { MAX_GPUS, parseMinerGetstat1 } from './parse-miner-getstat1.js';
import { MAX_WARNINGS } from './warnings.js';

const now = 1_790_000_000_000;
const opts = { algo: 'KAWPOW', now };
const FIXTURE = [
  'TT-Miner/2024.3.2',
  '48',
  '29191;54;0',
  '14683;14508',
  '0;0;0',
  'off;off',
  '53;90;50;90',
  'pool.example:4444',
  '0;0;0;0',
];
const answer = (result: unknown) => ({ id: 0, jsonrpc: '2.0', result });
const withField = (index: number, value: unknown) => {
  const result: unknown[] = [...FIXTURE];
  result[index] = value;
  return answer(result);
};

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (isRigkitError(error)) return error.code;
    throw error;
  }
  return undefined;
}

describe('parseMinerGetstat1 over the fixture', () => {
  const expected: Sample = {
    time: now,
    hashrate: 29_191,
    shares: { accepted: 54, rejected: 0, invalid: 0 },
    pool: 'pool.example:4444',
    algo: 'KAWPOW',
    uptimeSeconds: 48 * 60,
    devices: [
      { id: 'gpu:0', hashrate: 14_683, temperatureC: 53, fanPercent: 90 },
      { id: 'gpu:1', hashrate: 14_508, temperatureC: 50, fanPercent: 90 },
    ],
  };

  it('maps miner_getstat1.json exactly: H/s as reported, minutes × 60, no warnings', () => {
    expect(parseMinerGetstat1(fixtureJson('miner_getstat1.json'), opts)).toEqual(expected);
  });

  it('reads the answer line as text just the same', () => {
    expect(parseMinerGetstat1(fixtureText('miner_getstat1.json'), opts)).toEqual(expected);
  });

  it('keys rows by the launched CUDA indexes (-d 2,5)', () => {
    const sample = parseMinerGetstat1(fixtureJson('miner_getstat1.json'), {
      ...opts,
      devices: [2, 5],
    });
    expect(sample.devices?.map((d) => d.id)).toEqual(['gpu:2', 'gpu:5']);
    expect(sample.devices?.[1]).toEqual({
      id: 'gpu:5',
      hashrate: 14_508,
      temperatureC: 50,
      fanPercent: 90,
    });
    expect(sample.warnings).toBeUndefined();
  });

  it('leaves algo out when it was not given, and takes a bare result array', () => {
    const sample = parseMinerGetstat1(FIXTURE, { now });
    expect(sample.algo).toBeUndefined();
    expect(sample.hashrate).toBe(29_191);
  });

  it('reports 0 H/s as 0 (warm-up), not as unknown', () => {
    const sample = parseMinerGetstat1(withField(2, '0;0;0'), opts);
    expect(sample.hashrate).toBe(0);
    expect(sample.shares).toEqual({ accepted: 0, rejected: 0, invalid: 0 });
  });

  it('reads an optional [9] power list (some builds), and ignores a [9] that is not one', () => {
    const result = [...FIXTURE, '120;115.5'];
    expect(parseMinerGetstat1(answer(result), opts).devices).toEqual([
      { id: 'gpu:0', hashrate: 14_683, temperatureC: 53, fanPercent: 90, powerW: 120 },
      { id: 'gpu:1', hashrate: 14_508, temperatureC: 50, fanPercent: 90, powerW: 115.5 },
    ]);
    for (const extra of ['rvn.pool:1234', { watts: 1 }, 'a;b']) {
      const sample = parseMinerGetstat1(answer([...FIXTURE, extra]), opts);
      expect(sample.devices?.every((d) => d.powerW === undefined)).toBe(true);
      expect(sample.warnings).toBeUndefined();
    }
  });

  it('takes the first pool of a list and never a credential', () => {
    expect(parseMinerGetstat1(withField(7, 'a.example:1;b.example:2'), opts).pool).toBe(
      'a.example:1',
    );
    const sample = parseMinerGetstat1(withField(7, 'wallet.rig:SENTINEL@a.example:1'), opts);
    expect(sample.pool).toBe('a.example:1');
    expect(JSON.stringify(sample)).not.toContain('SENTINEL');
  });
});

describe('parseMinerGetstat1 with broken answers', () => {
  it('tolerates "off" everywhere: rows stay, values are left out and named', () => {
    const sample = parseMinerGetstat1(
      answer([
        'TT-Miner/2024.3.2',
        'off',
        'off;off;off',
        'off;off',
        'off',
        'off',
        'off;off;off;off',
        'off',
        'off',
      ]),
      opts,
    );
    expect(sample).toMatchObject({
      time: now,
      hashrate: undefined,
      algo: 'KAWPOW',
      devices: [{ id: 'gpu:0' }, { id: 'gpu:1' }],
    });
    expect(sample.shares).toBeUndefined();
    expect(sample.uptimeSeconds).toBeUndefined();
    expect(sample.pool).toBeUndefined();
    expect(sample.warnings).toEqual(
      expect.arrayContaining([
        'result.1 (uptime minutes): off',
        'result.2 total hashrate: off',
        'result.3 gpu:0 hashrate: off',
        'result.6 gpu:1 fan: off',
        'result.7 (pool): off',
      ]),
    );
  });

  it('tolerates missing fields (a short result array)', () => {
    const sample = parseMinerGetstat1(answer(['TT-Miner/2024.3.2', '5', '100;1;0']), opts);
    expect(sample).toEqual({
      time: now,
      hashrate: 100,
      shares: { accepted: 1, rejected: 0 },
      algo: 'KAWPOW',
      uptimeSeconds: 300,
      warnings: [
        'result.8 (invalid shares and pool switches): missing',
        'result.7 (pool): missing',
        'result.3 (GPU hashrates): missing',
        'result.6 (GPU temperatures and fans): missing',
      ],
    });
    expect(parseMinerGetstat1(answer([]), opts)).toEqual({
      time: now,
      hashrate: undefined,
      algo: 'KAWPOW',
      warnings: [
        'result.0 (miner name): missing',
        'result.1 (uptime): missing',
        'result.2 (totals): missing',
        'result.7 (pool): missing',
        'result.3 (GPU hashrates): missing',
        'result.6 (GPU temperatures and fans): missing',
      ],
    });
  });

  it('tolerates short lists inside fields', () => {
    const sample = parseMinerGetstat1(
      answer(['TT-Miner/2024.3.2', '1', '200', '150;', '0', '0', '60;70;61', 'p:1', '']),
      opts,
    );
    expect(sample).toEqual({
      time: now,
      hashrate: 200,
      pool: 'p:1',
      algo: 'KAWPOW',
      uptimeSeconds: 60,
      devices: [
        { id: 'gpu:0', hashrate: 150, temperatureC: 60, fanPercent: 70 },
        { id: 'gpu:1', temperatureC: 61 },
      ],
      warnings: [
        'result.2 accepted shares: missing',
        'result.2 rejected shares: missing',
        'result.3 gpu:1 hashrate: empty',
        'result.6 gpu:1 fan: missing (short list)',
      ],
    });
  });

  it('falls back to the sum of the GPUs when the total is unusable', () => {
    const sample = parseMinerGetstat1(withField(2, 'fast;1;0'), opts);
    expect(sample.hashrate).toBe(14_683 + 14_508);
    expect(sample.shares).toEqual({ accepted: 1, rejected: 0, invalid: 0 });
    expect(sample.warnings).toEqual([
      'result.2 total hashrate: expected a number, got text',
      'total hashrate missing: using the sum of the per-GPU hashrates',
    ]);
  });

  it.each([
    ['a number where text is expected', 1, 48, { uptimeSeconds: 2880 }, undefined],
    [
      'an object for the totals',
      2,
      { total: 1 },
      { hashrate: 29_191 },
      'result.2 (totals): expected ";"-separated text, got an object',
    ],
    [
      'a boolean for the GPU list',
      3,
      true,
      {
        devices: [
          { id: 'gpu:0', temperatureC: 53, fanPercent: 90 },
          { id: 'gpu:1', temperatureC: 50, fanPercent: 90 },
        ],
      },
      'result.3 (GPU hashrates): expected ";"-separated text, got a boolean',
    ],
    ['null for the pool', 7, null, { pool: undefined }, 'result.7 (pool): missing'],
    [
      'a number for the pool',
      7,
      4444,
      { pool: undefined },
      'result.7 (pool): expected text, got 4444',
    ],
    [
      'a name that is not TT-Miner',
      0,
      'PhoenixMiner 6.2c',
      {},
      'result.0 (miner name): does not name TT-Miner',
    ],
    ['a name that is not text', 0, 7, {}, 'result.0 (miner name): expected text, got 7'],
  ])('tolerates wrong types: %s', (_name, index, value, partial, warning) => {
    const sample = parseMinerGetstat1(withField(index, value), opts);
    for (const [key, v] of Object.entries(partial)) {
      expect(sample[key as keyof Sample], key).toEqual(v);
    }
    if (warning === undefined) expect(sample.warnings).toBeUndefined();
    else expect(sample.warnings).toContain(warning);
  });

  it('refuses negative, fractional counts and absurd numbers, echoing numbers only', () => {
    const sample = parseMinerGetstat1(
      answer([
        'TT-Miner/2024.3.2',
        '-5',
        '-1;1.5;99999999999999999999',
        `1e9;${'9'.repeat(400)}`,
        '0',
        '0',
        '250;101;-3;50',
        'p:1',
        '-1;0',
      ]),
      opts,
    );
    expect(sample).toEqual({
      time: now,
      hashrate: undefined,
      pool: 'p:1',
      algo: 'KAWPOW',
      devices: [{ id: 'gpu:0' }, { id: 'gpu:1', fanPercent: 50 }],
      warnings: [
        'result.1 (uptime minutes): expected a number ≥ 0, got -5',
        'result.2 total hashrate: expected a number ≥ 0, got -1',
        'result.2 accepted shares: expected a whole number, got 1.5',
        'result.2 rejected shares: too large',
        'result.3 gpu:0 hashrate: expected a number, got text',
        'result.6 gpu:0 temperature: too large',
        'result.6 gpu:0 fan: too large',
        'result.3 gpu:1 hashrate: not a finite number',
        'result.6 gpu:1 temperature: expected a number ≥ 0, got -3',
      ],
    });
  });

  it.each([
    ['non-JSON text', 'not json at all'],
    ['a 100 KB line', `{"result":["${'x'.repeat(100 * 1024)}"]}`],
    ['a non-array result', { id: 0, result: 'TT-Miner/2024.3.2' }],
    ['no result', { id: 0, jsonrpc: '2.0' }],
    ['an error object', { id: 0, error: { code: -32601, message: 'Method not found' } }],
    ['a JSON string', '"hello"'],
    ['null', null],
    ['a number', 42],
  ])('throws E_API_RESPONSE only for an unusable answer: %s', (_name, input) => {
    expect(codeOf(() => parseMinerGetstat1(input, opts))).toBe('E_API_RESPONSE');
  });

  it('maps a password error object to E_API_AUTH, quoting nothing', () => {
    let caught: unknown;
    try {
      parseMinerGetstat1({ id: 0, error: 'Invalid password SENTINEL' }, opts);
    } catch (error) {
      caught = error;
    }
    expect(isRigkitError(caught) && caught.code).toBe('E_API_AUTH');
    expect(JSON.stringify(caught)).not.toContain('SENTINEL');
    expect(String((caught as Error).message)).not.toContain('SENTINEL');
  });

  it('keeps rows and warnings bounded', () => {
    const many = Array.from({ length: 500 }, () => 'off').join(';');
    const sample = parseMinerGetstat1(withField(3, many), opts);
    expect(sample.devices).toHaveLength(MAX_GPUS);
    expect(sample.warnings).toHaveLength(MAX_WARNINGS + 1);
    expect(sample.warnings?.at(-1)).toMatch(/^…and \d+ more unexpected values$/);
  });

  it('leaves out rows beyond the launched devices, with a warning', () => {
    const sample = parseMinerGetstat1(withField(3, '1;2;3'), { ...opts, devices: [0] });
    expect(sample.devices?.map((d) => d.id)).toEqual(['gpu:0']);
    expect(sample.warnings).toContain(
      'the answer lists 3 GPUs but 1 were launched: extra rows left out',
    );
  });

  it('never throws on any result array and never echoes text', () => {
    const entry = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom('off', '', '-1', '1e400', 'NaN', ';;;', 'SENTINEL'),
      fc.jsonValue({ maxDepth: 2 }),
    );
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 12 }),
        fc.option(fc.array(fc.nat(40))),
        (result, devices) => {
          const sample = parseMinerGetstat1(answer(result), {
            ...opts,
            ...(devices === null ? {} : { devices }),
          });
          expect(sample.time).toBe(now);
          expect((sample.warnings ?? []).length).toBeLessThanOrEqual(MAX_WARNINGS + 1);
          expect((sample.devices ?? []).length).toBeLessThanOrEqual(MAX_GPUS);
          expect((sample.warnings ?? []).join('\n')).not.toContain('SENTINEL');
          for (const row of sample.devices ?? []) {
            for (const key of ['hashrate', 'temperatureC', 'fanPercent', 'powerW'] as const) {
              const v = row[key];
              if (v !== undefined) expect(Number.isFinite(v) && v >= 0).toBe(true);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
