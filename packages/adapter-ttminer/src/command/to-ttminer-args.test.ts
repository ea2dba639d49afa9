import { describe, expect, it } from 'vitest';
import { ttminerOptionsSchema } from '../options/ttminer-options.js';
import { toTtminerArgs, toTtminerPoolArg } from './to-ttminer-args.js';

const api = { host: '127.0.0.1', port: 40_000 } as const;

describe('toTtminerPoolArg', () => {
  it('builds [scheme://]user[.worker][:pass]@host:port', () => {
    expect(toTtminerPoolArg({ url: 'pool.example:4444', user: 'RWallet' })).toBe(
      'RWallet@pool.example:4444',
    );
    expect(
      toTtminerPoolArg({
        url: 'stratum+tcp://pool.example:4444',
        user: 'RWallet',
        worker: 'rig1',
        pass: 'x',
      }),
    ).toBe('stratum+tcp://RWallet.rig1:x@pool.example:4444');
    expect(
      toTtminerPoolArg({ url: 'stratum+ssl://[2001:db8::1]:443', user: 'login.rig', pass: '' }),
    ).toBe('stratum+ssl://login.rig@[2001:db8::1]:443');
  });

  it('percent-encodes what would change how the URL splits, and nothing else', () => {
    expect(
      toTtminerPoolArg({
        url: 'p.example:1',
        user: 'me@mail.example',
        worker: 'w-1',
        pass: 'p@ss:w/rd%20 ü',
      }),
    ).toBe('me%40mail.example.w-1:p%40ss%3Aw%2Frd%2520%20%C3%BC@p.example:1');
    // Wallet addresses, logins with dots and the usual "x" stay readable.
    expect(toTtminerPoolArg({ url: 'p:1', user: '0xAbC123.rig-1_a', pass: 'x' })).toBe(
      '0xAbC123.rig-1_a:x@p:1',
    );
  });
});

describe('toTtminerArgs', () => {
  it('passes algo, coin, every pool in failover order, devices, intensity, the loopback API', () => {
    const options = ttminerOptionsSchema.parse({
      pools: [
        { url: 'stratum+tcp://a.example:4444', user: 'RW', worker: 'rig1', pass: 'x' },
        { url: 'b.example:4444', user: 'RW' },
      ],
      algo: 'kawpow',
      coin: 'rvn',
      devices: [0, 2],
      intensity: 20,
      extraArgs: ['-PRT', '10'],
    });
    expect(toTtminerArgs(options, api)).toEqual([
      '-a',
      'KAWPOW',
      '-c',
      'RVN',
      '-P',
      'stratum+tcp://RW.rig1:x@a.example:4444',
      '-P',
      'RW@b.example:4444',
      '-d',
      '0,2',
      '-i',
      '20',
      '-b',
      '127.0.0.1:40000',
      '-nocolor',
      '-PRT',
      '10',
    ]);
  });

  it('adds --api-password only when set, and nothing optional when not', () => {
    const options = ttminerOptionsSchema.parse({
      pools: [{ url: 'p:1', user: 'w' }],
      algo: 'ETHASH',
    });
    expect(toTtminerArgs(options, api)).toEqual([
      '-a',
      'ETHASH',
      '-P',
      'w@p:1',
      '-b',
      '127.0.0.1:40000',
      '-nocolor',
    ]);
    expect(toTtminerArgs(options, { ...api, password: 'pw' })).toEqual([
      '-a',
      'ETHASH',
      '-P',
      'w@p:1',
      '-b',
      '127.0.0.1:40000',
      '--api-password',
      'pw',
      '-nocolor',
    ]);
  });
});
