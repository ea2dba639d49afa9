import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliOptions } from './cli-options.js';
import { parseApiBind, parsePoolArg } from './pool-arg.js';
import type { TtminerSimOptions } from './ttminer-sim-options.js';

const seed = () => 42;
const run = (argv: string[]): TtminerSimOptions => {
  const parsed = parseCliOptions(argv, { randomSeed: seed });
  if (parsed.kind !== 'run') throw new Error(`expected a run, got ${parsed.kind}`);
  return parsed.options;
};
const usageError = (argv: string[]): string => {
  try {
    parseCliOptions(argv, { randomSeed: seed });
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    expect((error as CliUsageError).exitCode).toBe(1);
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
};

describe('-P [scheme://]user[.worker][:pass]@host:port', () => {
  it('reads every form', () => {
    expect(parsePoolArg('stratum+tcp://RWallet.rig1:x@pool.example:4444')).toEqual({
      scheme: 'stratum+tcp',
      host: 'pool.example',
      port: 4444,
      tls: false,
      login: 'RWallet.rig1',
      pass: 'x',
    });
    expect(parsePoolArg('RWallet@10.0.0.1:3333')).toMatchObject({
      scheme: undefined,
      host: '10.0.0.1',
      login: 'RWallet',
      pass: 'x',
    });
    expect(parsePoolArg('stratum+ssl://w.rig:pw@[::1]:443')).toMatchObject({
      scheme: 'stratum+ssl',
      host: '::1',
      port: 443,
      tls: true,
    });
    expect(parsePoolArg('stratum2+tcp://w@h:1')).toMatchObject({ tls: false });
    expect(parsePoolArg('w:@h:1')).toMatchObject({ pass: '' });
  });

  it('percent-decodes user and password as the adapter encodes them, splitting at the last @', () => {
    const adapterArg = `stratum+tcp://${encodeURIComponent('me@mail.example')}.rig1:${encodeURIComponent('p@ss:w/rd %')}@127.0.0.1:14444`;
    expect(parsePoolArg(adapterArg)).toMatchObject({
      login: 'me@mail.example.rig1',
      pass: 'p@ss:w/rd %',
      host: '127.0.0.1',
      port: 14444,
    });
    expect(parsePoolArg('user:p@ss@host:1')).toMatchObject({ login: 'user', pass: 'p@ss' });
  });

  it('refuses what it cannot use, without quoting the password', () => {
    for (const bad of [
      'pool.example:4444',
      '@pool.example:4444',
      'w:x@pool.example',
      'w:x@pool.example:0',
      'w:x@pool.example:70000',
      'http://w:x@pool.example:1',
      'w:%E0%A4%A@h:1',
    ]) {
      expect(() => parsePoolArg(bad), bad).toThrow();
    }
    expect(usageError(['-P', 'w:SECRET@nohostport'])).not.toContain('SECRET');
    expect(usageError(['-P', 'w:%zzSECRET@h:1'])).not.toContain('SECRET');
  });
});

describe('parseCliOptions', () => {
  it('takes the exact argument layout the TT-Miner adapter launches', () => {
    // toTtminerArgs: -a <ALGO> [-c <COIN>] -P <pool>… [-d 0,1] [-i <n>] -b 127.0.0.1:<port>
    //                [--api-password <pw>] -nocolor [extraArgs…]
    const options = run([
      '-a',
      'KAWPOW',
      '-c',
      'RVN',
      '-P',
      'stratum+tcp://RWallet.rig1:SENTINEL-PASS@127.0.0.1:14444',
      '-P',
      'RWallet.rig1@backup.pool.example:4444',
      '-d',
      '0,1',
      '-i',
      '20',
      '-b',
      '127.0.0.1:40123',
      '--api-password',
      'SENTINEL-API',
      '-nocolor',
      '-PRT',
      '10',
    ]);
    expect(options).toMatchObject({
      algo: 'KAWPOW',
      coin: 'RVN',
      devices: [0, 1],
      intensity: 20,
      api: { host: '127.0.0.1', port: 40123, password: 'SENTINEL-API' },
      colors: false,
      printTime: 10,
      seed: 42,
    });
    expect(
      options.pools.map((pool) => `${pool.login}:${pool.pass}@${pool.host}:${pool.port}`),
    ).toEqual([
      'RWallet.rig1:SENTINEL-PASS@127.0.0.1:14444',
      'RWallet.rig1:x@backup.pool.example:4444',
    ]);
  });

  it('has defaults: KAWPOW, every GPU, API on 127.0.0.1:4068, colours, a report every 10 s', () => {
    expect(run([])).toMatchObject({
      algo: 'KAWPOW',
      pools: [],
      devices: [0, 1],
      api: { host: '127.0.0.1', port: 4068, password: null },
      colors: true,
      printTime: 10,
      gpus: 2,
      hashrate: 14_500_000,
      power: true,
      timeScale: 1,
    });
  });

  it('builds -o pools from -u, -w and -p, in order with -P pools', () => {
    const options = run([
      '-o',
      'stratum+tcp://a.example:1',
      '-u',
      'wallet',
      '-w',
      'rig',
      '-p',
      'pw',
      '-P',
      'u@b.example:2',
      '-o',
      'c.example:3',
    ]);
    expect(options.pools.map((pool) => [pool.host, pool.login, pool.pass])).toEqual([
      ['a.example', 'wallet.rig', 'pw'],
      ['b.example', 'u', 'x'],
      ['c.example', 'wallet.rig', 'pw'],
    ]);
    expect(usageError(['-o', 'a.example:1'])).toMatch(/needs a user/);
    expect(usageError(['-u', 'wallet'])).toMatch(/need a pool/);
  });

  it('accepts long spellings with one or two dashes and name=value', () => {
    expect(
      run(['-algo', 'kawpow', '--coin=rvn', '-devices', '1', '--api-bind=0', '-intensity=5']),
    ).toMatchObject({
      algo: 'KAWPOW',
      coin: 'RVN',
      devices: [1],
      intensity: 5,
      api: { host: '127.0.0.1', port: 0 },
    });
  });

  it('reads -b as ip:port, [ipv6]:port or a bare port, port 0 meaning any', () => {
    expect(parseApiBind('0.0.0.0:4068')).toEqual({ host: '0.0.0.0', port: 4068 });
    expect(parseApiBind('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseApiBind('4069')).toEqual({ host: '127.0.0.1', port: 4069 });
    for (const bad of ['', 'localhost', '1.2.3.4:70000', '1.2.3.4:-1', 'a b:1']) {
      expect(() => parseApiBind(bad), bad).toThrow();
    }
  });

  it('reads the simulator options', () => {
    const options = run([
      '--sim-seed',
      '7',
      '--sim-time-scale',
      '2.5',
      '--sim-hashrate',
      '21.5M',
      '--sim-gpus',
      '4',
      '--sim-no-power',
      '--sim-crash-after',
      '100',
      '--sim-hang-after',
      '200',
      '--sim-zero-until-first-share',
      '--sim-gpu-lost',
      '1',
      '--sim-gpu-lost',
      '3',
      '--sim-gpu-lost-after',
      '300',
      '--sim-overheat',
      '0',
      '--sim-garbage-api',
      '--sim-slow-api',
      '50',
      '--sim-ignore-sigterm',
    ]);
    expect(options).toMatchObject({
      seed: 7,
      timeScale: 2.5,
      hashrate: 21_500_000,
      gpus: 4,
      devices: [0, 1, 2, 3],
      power: false,
      faults: {
        crashAfterMs: 100,
        hangAfterMs: 200,
        zeroUntilFirstShare: true,
        gpuLost: [1, 3],
        gpuLostAfterMs: 300,
        overheat: [0],
        garbageApi: true,
        slowApiMs: 50,
        ignoreSigterm: true,
      },
    });
    expect(run(['--sim-hashrate', '950k']).hashrate).toBe(950_000);
  });

  it('checks devices and fault indexes against the simulated GPUs', () => {
    expect(usageError(['-d', '2'])).toMatch(/no GPU 2/);
    expect(run(['-d', '2', '--sim-gpus', '3']).devices).toEqual([2]);
    expect(usageError(['-d', '0,0'])).toMatch(/each GPU once/);
    expect(usageError(['-d', '0', '--sim-gpu-lost', '1'])).toMatch(/GPU 1 is not mined with/);
    expect(usageError(['--sim-overheat', '5'])).toMatch(/GPU 5/);
  });

  it('refuses unknown options, stray arguments, missing and bad values', () => {
    expect(usageError(['--foo'])).toBe("rigkit-sim-ttminer: unknown option '--foo' (see -h)");
    expect(usageError(['-x'])).toMatch(/unknown option '-x'/);
    expect(usageError(['-PRT=x'])).toMatch(/invalid value 'x' for -PRT/);
    expect(usageError(['stray'])).toMatch(/unexpected argument 'stray'/);
    expect(usageError(['-a'])).toMatch(/needs a value/);
    expect(usageError(['-nocolor=1'])).toMatch(/takes no value/);
    expect(usageError(['-i', '31'])).toMatch(/-i/);
    expect(usageError(['--sim-time-scale', '0'])).toMatch(/--sim-time-scale/);
    expect(usageError(['--sim-gpus', '65'])).toMatch(/--sim-gpus/);
    expect(usageError(['-P', 'ftp://u@h:1'])).toMatch(/unsupported pool scheme/);
    // Spellings are exact: -P is a pool, -p a password; -prt is not -PRT.
    expect(usageError(['-prt', '5'])).toMatch(/unknown option '-prt'/);
  });

  it('lets -v and -h win, and -l list after checking the rest', () => {
    expect(parseCliOptions(['-P', 'u@h:1', '-v']).kind).toBe('version');
    expect(parseCliOptions(['--version']).kind).toBe('version');
    expect(parseCliOptions(['-h', '-v']).kind).toBe('help');
    const list = parseCliOptions(['-l', '--sim-gpus', '3']);
    expect(list).toMatchObject({ kind: 'list', options: { gpus: 3 } });
    expect(() => parseCliOptions(['-list', '--bogus'])).toThrow(CliUsageError);
  });
});
