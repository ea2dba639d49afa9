import { describe, expect, it } from 'vitest';
import { xmrigOptionsSchema } from '../options/xmrig-options.js';
import { toXmrigArgs, toXmrigConfigFileArgs } from './to-xmrig-args.js';

const api = { host: '127.0.0.1', port: 40_000, token: 'TOKEN' } as const;

describe('toXmrigConfigFileArgs', () => {
  it('carries only the file, --no-color, --no-huge-pages and the extra args', () => {
    const options = xmrigOptionsSchema.parse({
      pools: [{ url: 'p:1', user: 'w', pass: 'secret' }],
      hugePages: false,
      extraArgs: ['--randomx-mode', 'light'],
    });
    expect(toXmrigConfigFileArgs(options, '/d/xmrig-1.json')).toEqual([
      '--config',
      '/d/xmrig-1.json',
      '--no-color',
      '--no-huge-pages',
      '--randomx-mode',
      'light',
    ]);
  });
});

describe('toXmrigArgs (no config file)', () => {
  it('puts each pool flag after its -o, then the globals and the loopback API', () => {
    const options = xmrigOptionsSchema.parse({
      pools: [
        {
          url: 'stratum+tcp://a:3333',
          user: 'w1',
          pass: 'x',
          rigId: 'r1',
          keepalive: true,
          tls: true,
        },
        { url: 'b:3333', user: 'w2', nicehash: true, coin: 'monero', algo: 'rx/0' },
      ],
      threads: 2,
      cpuMaxThreadsHint: 50,
      cpuPriority: 1,
      donateLevel: 0,
      useConfigFile: false,
    });
    expect(toXmrigArgs(options, api)).toEqual([
      '-o',
      'stratum+tcp://a:3333',
      '-u',
      'w1',
      '-p',
      'x',
      '--rig-id',
      'r1',
      '--tls',
      '--keepalive',
      '-o',
      'b:3333',
      '-u',
      'w2',
      '--nicehash',
      '--coin',
      'monero',
      '--algo',
      'rx/0',
      '--donate-level',
      '0',
      '--threads',
      '2',
      '--cpu-max-threads-hint',
      '50',
      '--cpu-priority',
      '1',
      '--http-host',
      '127.0.0.1',
      '--http-port',
      '40000',
      '--http-access-token',
      'TOKEN',
      '--no-color',
    ]);
  });
});
