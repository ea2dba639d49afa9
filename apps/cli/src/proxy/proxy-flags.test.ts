import { describe, expect, it } from 'vitest';
import { CliError, ExitCode } from '../exit-codes.js';
import { proxyOptionsFromFlags, readProxyConfigFile, resolvePoolPass } from './proxy-flags.js';

const enoent = async (): Promise<Buffer> => {
  throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
};

describe('proxyOptionsFromFlags', () => {
  it('maps every flag to its proxy option (seconds → ms), the password to every pool', () => {
    const { options } = proxyOptionsFromFlags({
      protocol: 'stratum-v1',
      mode: 'passthrough',
      listen: { host: '0.0.0.0', port: 3333 },
      pool: ['pool.example.org:3333', 'stratum+ssl://backup.example.org:443'],
      user: 'wallet.farm',
      pass: 'from-file',
      maxConnections: 5000,
      maxConnectionsPerIp: 64,
      maxLineBytes: 8192,
      maxWorkers: 2000,
      messagesPerSecond: 20,
      loginTimeout: 5,
      idleTimeout: 120,
    });
    expect(options).toEqual({
      protocol: 'stratum-v1',
      mode: 'passthrough',
      listen: { host: '0.0.0.0', port: 3333 },
      pools: [
        { url: 'pool.example.org:3333', user: 'wallet.farm', pass: 'from-file' },
        { url: 'stratum+ssl://backup.example.org:443', user: 'wallet.farm', pass: 'from-file' },
      ],
      limits: {
        maxConnections: 5000,
        maxConnectionsPerIp: 64,
        maxLineBytes: 8192,
        maxWorkers: 2000,
        messagesPerSecond: 20,
        loginTimeoutMs: 5000,
        idleTimeoutMs: 120_000,
      },
    });
  });

  it('leaves out what no flag set, so the proxy defaults apply', () => {
    expect(
      proxyOptionsFromFlags({ protocol: 'cryptonote', pool: ['p:1'], user: 'w' }).options,
    ).toEqual({ protocol: 'cryptonote', pools: [{ url: 'p:1', user: 'w' }] });
  });

  it('lays flags over a config file: --pool replaces its pools, --listen keeps its host, limits merge', () => {
    const file = {
      protocol: 'cryptonote',
      listen: { host: '10.0.0.2', port: 3333 },
      pools: [{ url: 'a:1', user: 'file-user', pass: 'file-pass', name: 'primary' }],
      limits: { maxConnections: 100, idleTimeoutMs: 1000 },
      failover: { primaryRetryMs: 5000 },
    };
    const fromFile = proxyOptionsFromFlags({ user: 'flag-user', maxLineBytes: 4096 }, file);
    expect(fromFile.options).toEqual({
      ...file,
      pools: [{ url: 'a:1', user: 'flag-user', pass: 'file-pass', name: 'primary' }],
      limits: { maxConnections: 100, idleTimeoutMs: 1000, maxLineBytes: 4096 },
    });
    const replaced = proxyOptionsFromFlags(
      { mode: 'passthrough', pool: ['b:2'], listen: { port: 4444 } },
      file,
    );
    expect(replaced.options).toMatchObject({
      mode: 'passthrough',
      listen: { host: '10.0.0.2', port: 4444 },
      pools: [{ url: 'b:2' }],
    });
    // The file object itself is never changed.
    expect(file.pools[0]?.user).toBe('file-user');
  });

  it('names the flag behind an option path, for error messages', () => {
    const { flagFor } = proxyOptionsFromFlags({
      pool: ['x'],
      maxLineBytes: 1,
      idleTimeout: 1,
      pass: 'p',
    });
    expect(flagFor('pools.0.url')).toBe('--pool');
    expect(flagFor('pools.1.user')).toBe('--user');
    expect(flagFor('pools.0.pass')).toBe('--pass/--pass-file');
    expect(flagFor('limits.maxLineBytes')).toBe('--max-line-bytes');
    expect(flagFor('limits.idleTimeoutMs')).toBe('--idle-timeout');
    expect(flagFor('limits.maxConnections')).toBeUndefined();
    expect(flagFor('failover.maxBackoffMs')).toBeUndefined();
  });
});

describe('resolvePoolPass', () => {
  const file = (text: string) => async () => Buffer.from(text);

  it('reads the first line of --pass-file, without its newline', async () => {
    expect(await resolvePoolPass({ passFile: 'p' }, {}, file('s3cret\r\nignored\n'))).toEqual({
      pass: 's3cret',
      source: 'file',
    });
  });

  it('takes --pass, else $RIGKIT_POOL_PASS, else nothing (the proxy default)', async () => {
    const env = { RIGKIT_POOL_PASS: 'from-env' };
    expect(await resolvePoolPass({ pass: 'typed' }, env)).toEqual({
      pass: 'typed',
      source: 'flag',
    });
    expect(await resolvePoolPass({ passFile: 'p' }, env, file('f'))).toMatchObject({ pass: 'f' });
    expect(await resolvePoolPass({}, env)).toEqual({ pass: 'from-env', source: 'env' });
    expect(await resolvePoolPass({}, {})).toEqual({ pass: undefined, source: undefined });
  });

  it('refuses --pass with --pass-file (usage) and reports an unreadable file (config)', async () => {
    await expect(resolvePoolPass({ pass: 'a', passFile: 'b' }, {})).rejects.toMatchObject({
      exitCode: ExitCode.usage,
    });
    const error = await resolvePoolPass({ passFile: '/nope/pass' }, {}, enoent).catch((e) => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({
      exitCode: ExitCode.config,
      message: '--pass-file: cannot read /nope/pass (ENOENT)',
    });
  });
});

describe('readProxyConfigFile', () => {
  it('returns the JSON object', async () => {
    const read = async () => Buffer.from('{"protocol":"cryptonote"}');
    expect(await readProxyConfigFile('proxy.json', read)).toEqual({ protocol: 'cryptonote' });
  });

  it('fails with exit 3 for a missing file, bad JSON (never quoting it) or a non-object', async () => {
    const failures = await Promise.all([
      readProxyConfigFile('missing.json', enoent).catch((e) => e),
      readProxyConfigFile('bad.json', async () =>
        Buffer.from('{"pools":[{"pass":"SENTINEL-PASS",}]}'),
      ).catch((e) => e),
      readProxyConfigFile('list.json', async () => Buffer.from('[]')).catch((e) => e),
    ]);
    expect(failures.map((e) => e.exitCode)).toEqual([3, 3, 3]);
    expect(failures[0].message).toBe('cannot read config file missing.json (ENOENT)');
    expect(failures[1].message).toMatch(/^config file bad\.json is not valid JSON/);
    expect(failures[1].message).not.toContain('SENTINEL');
    expect(failures[2].message).toBe('config file list.json must hold a JSON object');
  });
});
