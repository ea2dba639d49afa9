// `rigkit proxy` in-process: help, usage and config errors with their exit codes, and a real
// run in front of the CryptoNote pool simulator that Ctrl-C ends with exit 0.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCryptoNotePool } from '@rigkit/testkit/simulators';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { ExitCode } from '../exit-codes.js';
import { runWith } from '../testing/fake-io.js';

const dirs: string[] = [];
function tempFile(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rigkit-proxy-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const BASE = ['proxy', '--protocol', 'cryptonote', '--pool', '127.0.0.1:1', '--user', 'w'];

describe('rigkit proxy', () => {
  it('--help lists the options, the password sources and how to point a miner at it', async () => {
    const run = await runWith(['proxy', '--help']);
    expect(run.code).toBe(ExitCode.ok);
    for (const flag of [
      '--protocol <protocol>',
      '--mode <mode>',
      '--listen <host:port>',
      '--pool <url>',
      '--user <login>',
      '--pass-file <file>',
      '-c, --config <file>',
      '--max-connections <n>',
      '--max-line-bytes <n>',
      '--stats-interval <s>',
    ]) {
      expect(run.stdout).toContain(flag);
    }
    expect(run.stdout).toContain('$RIGKIT_POOL_PASS');
    expect(run.stdout).toContain('--nicehash');
  });

  it('exits 2 for malformed or missing flags', async () => {
    const cases: Array<[string[], string]> = [
      [['proxy', '--protocol', 'ethash', '--pool', 'p:1'], "argument 'ethash' is invalid"],
      [[...BASE, '--max-connections', '0'], '--max-connections must be an integer'],
      [[...BASE, '--listen', '1.2.3.4:99999'], 'expected host:port'],
      [[...BASE, '--listen', '::1:3333'], 'expected host:port'],
      [[...BASE, '--stats-interval', '-1'], '--stats-interval must be an integer from 0'],
      [[...BASE, '--pass', 'a', '--pass-file', 'b'], 'either --pass or --pass-file'],
      [['proxy', '--pool', 'p:1'], 'missing --protocol'],
      [['proxy', '--protocol', 'cryptonote'], 'missing --pool'],
    ];
    for (const [argv, message] of cases) {
      const run = await runWith(argv);
      expect({ argv, code: run.code }).toEqual({ argv, code: ExitCode.usage });
      expect(run.stderr).toContain(message);
    }
  });

  it('exits 3 for config problems, naming the option path (and flag), never the password', async () => {
    const missing = await runWith(['proxy', '--config', '/nonexistent/proxy.json']);
    expect(missing.code).toBe(ExitCode.config);
    expect(missing.stderr).toContain('cannot read config file /nonexistent/proxy.json (ENOENT)');

    const invalid = tempFile(
      'proxy.json',
      JSON.stringify({
        protocol: 'cryptonote',
        pools: [{ url: 'pool.example.org:3333', user: 'w', pass: 'SENTINEL-PASS' }],
        limits: { maxLineBytes: 10, typo: 1 },
      }),
    );
    const run = await runWith(['proxy', '--config', invalid, '--pool', 'a b']);
    expect(run.code).toBe(ExitCode.config);
    expect(run.stderr).toContain(`invalid proxy options (${invalid})`);
    expect(run.stderr).toContain('pools.0.url (--pool)');
    expect(run.stderr).toContain('limits.maxLineBytes');
    expect(run.stderr).toContain('typo');

    const badPass = await runWith([...BASE, '--pass-file', tempFile('pass', 'x'.repeat(300))]);
    expect(badPass.code).toBe(ExitCode.config);
    expect(badPass.stderr).toContain('pools.0.pass (--pass/--pass-file)');
    for (const output of [run.stderr, run.stdout, badPass.stderr]) {
      expect(output).not.toContain('SENTINEL-PASS');
      expect(output).not.toContain('x'.repeat(300));
    }
  });

  it('exits 1 when it cannot listen', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    onTestFinished(() => new Promise<void>((resolve) => taken.close(() => resolve())));
    const { port } = taken.address() as AddressInfo;
    const run = await runWith([...BASE, '--listen', `127.0.0.1:${port}`], {
      interrupt: () => new AbortController().signal,
    });
    expect(run.code).toBe(ExitCode.failure);
    expect(run.stderr).toContain(`cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
  });

  it('runs in front of a pool until Ctrl-C: startup line, events on stderr, stats, exit 0', async () => {
    const pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 });
    onTestFinished(() => pool.close());
    const interrupt = new AbortController();
    const stdout: string[] = [];
    const stderr: string[] = [];
    let onOutput = () => {};
    const running = runWith(
      [
        '--json',
        'proxy',
        '--protocol',
        'cryptonote',
        '--listen',
        '127.0.0.1:0',
        '--pool',
        pool.url,
        '--user',
        'farm-wallet',
        '--stats-interval',
        '0',
      ],
      {
        env: { RIGKIT_POOL_PASS: 'SENTINEL-ENV-PASS' },
        interrupt: () => interrupt.signal,
        stdout: (text) => {
          stdout.push(text);
          onOutput();
        },
        stderr: (text) => {
          stderr.push(text);
          onOutput();
        },
      },
    );
    const until = (check: () => boolean) =>
      new Promise<void>((resolve) => {
        onOutput = () => {
          if (check()) resolve();
        };
        onOutput();
      });
    await until(() => stdout.length > 0);
    const started = JSON.parse(stdout[0] ?? '');
    expect(started).toMatchObject({
      type: 'listening',
      host: '127.0.0.1',
      protocol: 'cryptonote',
      mode: 'aggregate',
      pools: [pool.url],
    });

    const socket = connect(started.port, '127.0.0.1');
    onTestFinished(() => {
      socket.destroy();
    });
    await once(socket, 'connect');
    socket.write(
      `${JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'login', params: { login: 'rig-7', pass: 'x', agent: 't' } })}\n`,
    );
    const [reply] = (await once(socket, 'data')) as [Buffer];
    expect(JSON.parse(reply.toString().split('\n')[0] ?? '')).toMatchObject({
      result: { status: 'OK', job: { job_id: expect.any(String) } },
    });
    await until(() => stderr.join('').includes('"proxy.worker.connected"'));

    interrupt.abort();
    const run = await running;
    expect(run.code).toBe(ExitCode.ok);
    const events = stderr
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    expect(events.map((e) => e.event)).toEqual(
      expect.arrayContaining([
        'proxy.upstream.up',
        'proxy.worker.connected',
        'proxy.worker.disconnected',
      ]),
    );
    const final = JSON.parse(stdout.at(-1) ?? '');
    expect(final).toMatchObject({ type: 'stats', miners: { now: 0, max: 1 } });
    expect(`${stdout.join('')}${stderr.join('')}`).not.toContain('SENTINEL-ENV-PASS');
  });
});
