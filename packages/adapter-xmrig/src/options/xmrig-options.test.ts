import { isRigkitError, validateWithSchema } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { xmrigOptionsSchema } from './xmrig-options.js';

const SENTINEL = 'SENTINEL-PASS-9f3a';

async function issuesOf(input: unknown) {
  try {
    await validateWithSchema(xmrigOptionsSchema, input, 'options for xmrig');
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

describe('xmrigOptionsSchema', () => {
  it('applies defaults: huge pages on, donate level 0 as given, config file on, no extra args', () => {
    const parsed = xmrigOptionsSchema.parse({
      pools: [{ url: 'pool.example:3333', user: 'wallet' }],
    });
    expect(parsed).toEqual({
      pools: [{ url: 'pool.example:3333', user: 'wallet' }],
      hugePages: true,
      donateLevel: 0,
      extraArgs: [],
      useConfigFile: true,
    });
  });

  it('keeps everything a user sets, pools in failover order', () => {
    const input = {
      pools: [
        {
          url: 'stratum+ssl://a.example:443',
          user: 'w1',
          pass: 'x',
          rigId: 'rig-1',
          tls: true,
          keepalive: true,
          nicehash: false,
          coin: 'monero',
        },
        { url: 'stratum+tcp://10.0.0.2:3333', user: 'w2', algo: 'rx/0' },
        { url: '[::1]:3333', user: 'w3' },
      ],
      threads: 4,
      cpuMaxThreadsHint: 50,
      cpuPriority: 0,
      hugePages: false,
      donateLevel: 1,
      binary: '/opt/xmrig/xmrig',
      extraArgs: ['--randomx-mode=light', '--asm', 'ryzen', '--print-time', '10', '--no-color'],
      useConfigFile: false,
    };
    expect(xmrigOptionsSchema.parse(input)).toEqual(input);
  });

  it('reports every problem with its path', async () => {
    const { issues, error } = await issuesOf({
      pools: [
        { url: 'http://pool.example:3333', user: 'w' },
        { url: 'pool.example:70000', user: '' },
        { url: 'stratum+ssl://p:443', user: 'w', tls: false },
      ],
      threads: 0,
      cpuMaxThreadsHint: 101,
      cpuPriority: 6,
      donateLevel: -1,
      extraArgs: ['--print-time=10', '--http-port=1', '--randomx-mode', 'turbo', '--verbose=1'],
      password: 'oops',
    });
    const paths = issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'pools.0.url',
        'pools.1.url',
        'pools.1.user',
        'pools.2.tls',
        'threads',
        'cpuMaxThreadsHint',
        'cpuPriority',
        'donateLevel',
        'extraArgs.1',
        'extraArgs.3',
        'extraArgs.4',
        '',
      ]),
    );
    expect(error.message).toContain('extraArgs.1: "--http-port" is not an allowed extra argument');
  });

  it('limits pools to 1..16', async () => {
    expect((await issuesOf({ pools: [] })).issues[0]?.path).toBe('pools');
    const many = Array.from({ length: 17 }, () => ({ url: 'p:1', user: 'w' }));
    expect((await issuesOf({ pools: many })).issues[0]?.path).toBe('pools');
  });

  it('rejects control characters and never echoes a misplaced password', async () => {
    const { issues, error } = await issuesOf({
      pools: [{ url: 'p:1', user: 'w', pass: 'a\u0000b' }],
      extraArgs: ['-p', SENTINEL, `--pass=${SENTINEL}`, '--print-time', SENTINEL],
    });
    expect(issues.map((i) => i.path)).toEqual([
      'pools.0.pass',
      'extraArgs.0',
      'extraArgs.1',
      'extraArgs.2',
      'extraArgs.4',
    ]);
    expect(JSON.stringify(error)).not.toContain(SENTINEL);
    expect(error.message).not.toContain(SENTINEL);
  });
});
