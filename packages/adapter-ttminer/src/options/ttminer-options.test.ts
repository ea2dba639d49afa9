import { isRigkitError, validateWithSchema } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { ttminerOptionsSchema } from './ttminer-options.js';

const SENTINEL = 'SENTINEL-PASS-9f3a';

async function issuesOf(input: unknown) {
  try {
    await validateWithSchema(ttminerOptionsSchema, input, 'options for ttminer');
  } catch (error) {
    if (isRigkitError(error) && error.code === 'E_CONFIG_INVALID') {
      return {
        issues: (error.details as { issues: { path: string; message: string }[] }).issues,
        error,
      };
    }
    throw error;
  }
  throw new Error('expected the options to be refused');
}

describe('ttminerOptionsSchema', () => {
  it('needs pools and an algorithm, and applies defaults', () => {
    expect(
      ttminerOptionsSchema.parse({
        pools: [{ url: 'pool.example:4444', user: 'RWallet' }],
        algo: 'kawpow',
      }),
    ).toEqual({
      pools: [{ url: 'pool.example:4444', user: 'RWallet' }],
      algo: 'KAWPOW',
      extraArgs: [],
    });
  });

  it('keeps everything a user sets, names upper-cased, pools in failover order', () => {
    const input = {
      pools: [
        { url: 'stratum+ssl://a.example:443', user: 'w1', worker: 'rig_1', pass: 'x' },
        { url: 'stratum+tcp://10.0.0.2:3333', user: 'w2' },
        { url: '[::1]:3333', user: 'w3', pass: 'p@ss:word/1' },
      ],
      algo: 'ProgPow',
      coin: 'rvn',
      devices: [0, 2, 1],
      intensity: 22,
      binary: '/opt/tt/TT-Miner',
      apiPassword: 'api-Pw_1!',
      extraArgs: ['-PRT', '30', '-nocolor'],
    };
    expect(ttminerOptionsSchema.parse(input)).toEqual({ ...input, algo: 'PROGPOW', coin: 'RVN' });
  });

  it('reports every problem with its path', async () => {
    const { issues, error } = await issuesOf({
      pools: [
        { url: 'http://pool.example:3333', user: 'w' },
        { url: 'pool.example:70000', user: '', worker: 'a.b' },
      ],
      algo: 'kaw pow',
      coin: 'RVN!',
      devices: [0, -1, 1.5],
      intensity: 31,
      apiPassword: 'has space',
      extraArgs: ['-PRT', '10', '-b', '127.0.0.1:1', '-PRT'],
      password: 'oops',
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        '',
        'algo',
        'apiPassword',
        'coin',
        'devices.1',
        'devices.2',
        'extraArgs.2',
        'extraArgs.3',
        'extraArgs.4',
        'intensity',
        'pools.0.url',
        'pools.1.url',
        'pools.1.user',
        'pools.1.worker',
      ].sort(),
    );
    expect(error.message).toContain('extraArgs.2: "-b" is not an allowed extra argument');
  });

  it('refuses a device listed twice, at the second place', async () => {
    const { issues } = await issuesOf({
      pools: [{ url: 'p:1', user: 'w' }],
      algo: 'KAWPOW',
      devices: [0, 1, 0],
    });
    expect(issues).toEqual([{ path: 'devices.2', message: 'device 0 is listed twice' }]);
  });

  it('limits pools to 1..16 and devices to 1..32', async () => {
    expect((await issuesOf({ pools: [], algo: 'KAWPOW' })).issues[0]?.path).toBe('pools');
    const pools = Array.from({ length: 17 }, () => ({ url: 'p:1', user: 'w' }));
    expect((await issuesOf({ pools, algo: 'KAWPOW' })).issues[0]?.path).toBe('pools');
    const devices = Array.from({ length: 33 }, (_, i) => i);
    expect(
      (await issuesOf({ pools: [{ url: 'p:1', user: 'w' }], algo: 'A', devices })).issues[0]?.path,
    ).toBe('devices');
    expect(
      (await issuesOf({ pools: [{ url: 'p:1', user: 'w' }], algo: 'A', devices: [] })).issues[0]
        ?.path,
    ).toBe('devices');
  });

  it('refuses control characters and broken Unicode, never echoing a password', async () => {
    const { issues, error } = await issuesOf({
      pools: [
        { url: 'p:1', user: 'w', pass: `a\u0000${SENTINEL}` },
        { url: 'p:1', user: 'w\ud800', pass: `${SENTINEL}\ud800` },
      ],
      algo: 'KAWPOW',
      apiPassword: `${SENTINEL}\n`,
      extraArgs: ['-p', SENTINEL, '-PRT', SENTINEL],
    });
    expect(issues.map((i) => i.path)).toEqual([
      'pools.0.pass',
      'pools.1.user',
      'pools.1.pass',
      'apiPassword',
      'extraArgs.0',
      'extraArgs.1',
      'extraArgs.3',
    ]);
    expect(JSON.stringify(error)).not.toContain(SENTINEL);
    expect(error.message).not.toContain(SENTINEL);
  });
});
