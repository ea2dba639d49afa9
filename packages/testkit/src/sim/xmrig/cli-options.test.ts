import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliOptions, scanCommandLine } from './cli-options.js';
import { simXmrigPath } from './sim-xmrig-path.js';
import { writeXmrigSimulatorWrapper } from './write-xmrig-simulator-wrapper.js';
import type { XmrigSimOptions } from './xmrig-sim-options.js';
import { xmrigSimulatorArgs } from './xmrig-simulator-args.js';

const seed = () => 1;

function run(argv: string[], files: Record<string, string> = {}): XmrigSimOptions {
  const result = parseCliOptions(argv, { readFile: (path) => files[path], randomSeed: seed });
  if (result.kind !== 'run') throw new Error(`expected run, got ${result.kind}`);
  return result.options;
}

function usageError(argv: string[]): string {
  try {
    parseCliOptions(argv, { randomSeed: seed });
  } catch (error) {
    expect(error).toBeInstanceOf(CliUsageError);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

/** Runs the built bin to its exit. */
async function runBin(
  args: string[],
  file = process.execPath,
  prefix: string[] = [simXmrigPath],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(file, [...prefix, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

describe('scanCommandLine (getopt_long)', () => {
  it('takes --opt=value, --opt value, short flags, clusters, -ovalue and --', () => {
    expect(
      scanCommandLine(['--url=a:1', '--user', 'u', '-kt2', '-ob:2', '--', '-x']).entries,
    ).toEqual([
      { name: 'url', value: 'a:1' },
      { name: 'user', value: 'u' },
      { name: 'keepalive', value: undefined },
      { name: 'threads', value: '2' },
      { name: 'url', value: 'b:2' },
    ]);
    expect(scanCommandLine(['stray', '--tls', '--', '-x']).positionals).toEqual(['stray', '-x']);
  });

  it('accepts unambiguous abbreviations like getopt_long', () => {
    expect(scanCommandLine(['--no-col']).entries).toEqual([{ name: 'no-color', value: undefined }]);
  });

  it("fails with glibc's messages", () => {
    expect(usageError(['--foo'])).toBe("xmrig: unrecognized option '--foo'");
    expect(usageError(['--foo=bar'])).toBe("xmrig: unrecognized option '--foo=bar'");
    expect(usageError(['-j'])).toBe("xmrig: invalid option -- 'j'");
    expect(usageError(['--url'])).toBe("xmrig: option '--url' requires an argument");
    expect(usageError(['-o'])).toBe("xmrig: option requires an argument -- 'o'");
    expect(usageError(['--tls=yes'])).toBe("xmrig: option '--tls' doesn't allow an argument");
    expect(usageError(['--donate'])).toBe(
      "xmrig: option '--donate' is ambiguous; possibilities: '--donate-level' '--donate-over-proxy'",
    );
  });
});

describe('parseCliOptions', () => {
  it('applies per-pool options to the preceding -o (and options before any -o to the first)', () => {
    const options = run([
      '-u',
      'early',
      '-o',
      'stratum+tcp://a.example:3333',
      '-p',
      'pa',
      '--rig-id',
      'rig1',
      '-k',
      '-o',
      'stratum+ssl://b.example:443',
      '-u',
      'ub',
      '--nicehash',
      '-a',
      'rx/0',
    ]);
    expect(options.bench).toBeNull();
    expect(options.pools).toMatchObject([
      {
        host: 'a.example',
        port: 3333,
        user: 'early',
        pass: 'pa',
        rigId: 'rig1',
        keepalive: true,
        tls: false,
        nicehash: false,
      },
      {
        host: 'b.example',
        port: 443,
        user: 'ub',
        pass: 'x',
        tls: true,
        nicehash: true,
        algo: 'rx/0',
        keepalive: false,
      },
    ]);
  });

  it('reads the API, CPU and simulator options', () => {
    const options = run([
      '-o',
      '127.0.0.1:3333',
      '--http-host=0.0.0.0',
      '--http-port',
      '18080',
      '--http-access-token',
      'secret',
      '--http-no-restricted',
      '-t',
      '3',
      '--cpu-priority',
      '2',
      '--no-color',
      '--donate-level=0',
      '--print-time',
      '60',
      '--no-huge-pages',
      '--sim-seed',
      '9',
      '--sim-hashrate',
      '1234.5',
      '--sim-time-scale',
      '20',
      '--sim-reject-rate',
      '0.25',
      '--sim-hang-after',
      '100',
      '--randomx-init=2',
      '--asm',
      'ryzen',
    ]);
    expect(options).toMatchObject({
      http: {
        enabled: true,
        host: '0.0.0.0',
        port: 18080,
        accessToken: 'secret',
        restricted: false,
      },
      threads: 3,
      cpuPriority: 2,
      colors: false,
      donateLevel: 0,
      printTime: 60,
      hugePages: false,
      seed: 9,
      hashrate: 1234.5,
      timeScale: 20,
      faults: { rejectRate: 0.25, hangAfterMs: 100, crashAfterMs: null },
    });
  });

  it('refuses bad values and bad pool URLs', () => {
    expect(usageError(['--http-port', 'abc'])).toMatch(
      /invalid value 'abc' for option '--http-port'/,
    );
    expect(usageError(['--sim-reject-rate', '2'])).toMatch(/--sim-reject-rate/);
    expect(usageError(['--bench', '3K'])).toMatch(/--bench/);
    expect(usageError(['-o', 'http://x:1'])).toMatch(/invalid pool URL/);
  });

  it('behaves like --bench=1M without a pool, and --bench wins over pools', () => {
    expect(run([]).bench).toEqual({ size: 1_000_000, label: '1M', algo: 'rx/0', implicit: true });
    const bench = run(['-o', 'a:1', '--bench', '250K', '-a', 'rx/wow']);
    expect(bench.pools).toEqual([]);
    expect(bench.bench).toEqual({ size: 250_000, label: '250K', algo: 'rx/wow', implicit: false });
  });

  it('loads config.json, the command line overriding it and -o replacing its pools', () => {
    const file = JSON.stringify({
      'donate-level': 3,
      'print-time': 30,
      colors: false,
      http: {
        enabled: true,
        host: '127.0.0.1',
        port: 18088,
        'access-token': 'file-token',
        restricted: true,
      },
      cpu: { priority: 4, '*': { intensity: 1, threads: 1, affinity: -1 } },
      pools: [
        {
          url: 'file.example:3333',
          user: 'wallet',
          pass: 'fp',
          'rig-id': 'r',
          keepalive: true,
          tls: false,
        },
        { url: 'off.example:3333', enabled: false },
      ],
    });
    const files = { '/etc/xmrig.json': file };
    const fromFile = run(['-c', '/etc/xmrig.json'], files);
    expect(fromFile).toMatchObject({
      donateLevel: 3,
      printTime: 30,
      colors: false,
      threads: 1,
      cpuPriority: 4,
      http: { enabled: true, port: 18088, accessToken: 'file-token', restricted: true },
      configFile: '/etc/xmrig.json',
    });
    expect(fromFile.pools).toMatchObject([
      { host: 'file.example', user: 'wallet', pass: 'fp', rigId: 'r', keepalive: true },
    ]);

    const overridden = run(
      [
        '--config=/etc/xmrig.json',
        '--donate-level',
        '0',
        '--http-port',
        '0',
        '-o',
        'cli.example:1',
      ],
      files,
    );
    expect(overridden.donateLevel).toBe(0);
    expect(overridden.http.port).toBe(0);
    expect(overridden.http.accessToken).toBe('file-token');
    expect(overridden.pools.map((pool) => pool.host)).toEqual(['cli.example']);
  });

  it('reports an unreadable or invalid config file for the log and carries on', () => {
    const missing = parseCliOptions(['-c', '/nope.json'], {
      readFile: () => undefined,
      randomSeed: seed,
    });
    expect(missing.kind === 'run' && missing.configErrors.join()).toMatch(
      /unable to open "\/nope.json"\./,
    );
    const broken = parseCliOptions(['-c', 'x.json'], {
      readFile: () => '{"pools": [',
      randomSeed: seed,
    });
    expect(broken.kind === 'run' && broken.configErrors.join()).toMatch(
      /x\.json<offset:\d+>: ".+"/,
    );
  });

  it('answers --help and --version wherever they are', () => {
    expect(parseCliOptions(['--foo', '--version']).kind).toBe('version');
    expect(parseCliOptions(['-o', 'x:1', '-h']).kind).toBe('help');
  });
});

describe('rigkit-sim-xmrig command line', () => {
  it('prints the version like xmrig and exits 0', async () => {
    const { code, stdout } = await runBin(['--version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^XMRig 6\.26\.0\n built on .+ with GCC 12\.2\.0\n features: 64-bit AES\n\nlibuv\/1\.44\.2\n/,
    );
  });

  it("exits 1 with getopt's message on stderr for an unknown option", async () => {
    const { code, stdout, stderr } = await runBin(['--no-color', '--foo']);
    expect(code).toBe(1);
    expect(stderr).toBe("xmrig: unrecognized option '--foo'\n");
    expect(stdout).toBe('');
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await runBin(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: rigkit-sim-xmrig \[OPTIONS\]/);
    expect(stdout).toContain('--sim-time-scale');
  });

  it("runs through a wrapper that adds --sim-* options to someone else's command line", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rigkit-sim-'));
    try {
      const wrapper = await writeXmrigSimulatorWrapper(join(dir, "x'mrig"), [
        '--sim-crash-after',
        '50',
      ]);
      const { code, stderr } = await runBin(['--no-color', '--bench', '250K'], wrapper, []);
      expect(code).toBe(1);
      expect(stderr).toContain('Segmentation fault');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('xmrigSimulatorArgs', () => {
  it('builds a command line the simulator parses back to the same options', () => {
    const args = xmrigSimulatorArgs({
      pools: [
        { url: '127.0.0.1:3333', user: 'wallet', rigId: 'rig1', nicehash: true, keepalive: true },
        { url: 'stratum+ssl://backup.example:443', pass: 'p' },
      ],
      http: { port: 0, accessToken: 'secret', restricted: false },
      seed: 5,
      hashrate: 2500,
      timeScale: 10,
      faults: { rejectRate: 0.1, slowApiMs: 20 },
    });
    const options = run(args);
    expect(options.pools).toMatchObject([
      { host: '127.0.0.1', user: 'wallet', rigId: 'rig1', nicehash: true, keepalive: true },
      { host: 'backup.example', tls: true, pass: 'p' },
    ]);
    expect(options).toMatchObject({
      colors: false,
      seed: 5,
      hashrate: 2500,
      timeScale: 10,
      http: { enabled: true, port: 0, accessToken: 'secret', restricted: false },
      faults: { rejectRate: 0.1, slowApiMs: 20 },
    });
  });
});
