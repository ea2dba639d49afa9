import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createInterface, type Interface } from 'node:readline';
import { getFreePort } from '@rigkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive, waitForProcessExit } from '../process/process-alive.js';
import { fakeProcessArgs } from './fake-process-adapter.js';
import { fakeProcessPath } from './fake-process-path.js';

/** A running fake-process with line-by-line access to its stdout. */
interface Fake {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the next stdout line matching `test`. */
  line(test: (line: string) => boolean): Promise<string>;
  exit: Promise<[number | null, NodeJS.Signals | null]>;
}

const running: ChildProcessWithoutNullStreams[] = [];

function startFake(args: string[]): Fake {
  const child = spawn(process.execPath, [fakeProcessPath, ...args]);
  running.push(child);
  const lines: Interface = createInterface({ input: child.stdout });
  const exit = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  return {
    child,
    exit,
    line: (test) =>
      new Promise((resolve, reject) => {
        const onLine = (line: string) => {
          if (!test(line)) return;
          lines.off('line', onLine);
          resolve(line);
        };
        lines.on('line', onLine);
        lines.once('close', () => reject(new Error('stdout closed before the line came')));
      }),
  };
}

/** GET `path` on the fake's port; resolves with status and raw body, or `hung` on timeout. */
function get(
  port: number,
  path: string,
  timeoutMs = 500,
): Promise<{ status: number; body: Buffer } | 'hung'> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, agent: false, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve('hung');
    });
    req.on('error', reject);
    req.end();
  });
}

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('rigkit-fake-process', () => {
  it('is built as an executable with a node shebang', () => {
    expect(readFileSync(fakeProcessPath, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(() => accessSync(fakeProcessPath, constants.X_OK)).not.toThrow();
  });

  it('refuses an unknown flag or a bad value with exit code 2 and a message on stderr', async () => {
    for (const args of [['--bogus'], ['--run-for', 'soon'], ['--hashrate', '-1'], ['extra']]) {
      const fake = startFake(args);
      let stderr = '';
      fake.child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const [code] = await fake.exit;
      expect(code, args.join(' ')).toBe(2);
      expect(stderr).toContain('usage: rigkit-fake-process');
    }
  });

  it('prints numbered lines and ready, then exits after --run-for with --exit-code', async () => {
    const fake = startFake(['--print-lines', '3', '--run-for', '200', '--exit-code', '7']);
    const seen: string[] = [];
    const all = fake.line((line) => {
      seen.push(line);
      return line.startsWith('exit');
    });
    expect(await all).toBe('exit 7');
    expect(seen.slice(0, 4)).toEqual(['line 1', 'line 2', 'line 3', 'ready']);
    expect((await fake.exit)[0]).toBe(7);
  });

  it('ticks once a second after its numbered lines', async () => {
    const fake = startFake(['--print-lines', '0']);
    await fake.line((line) => line === 'ready');
    expect(await fake.line((line) => line.startsWith('tick'))).toBe('tick 1');
  });

  it('exits 0 with "exiting" on SIGTERM, or ignores it with --ignore-sigterm', async () => {
    const polite = startFake([]);
    await polite.line((line) => line === 'ready');
    const exiting = polite.line((line) => line === 'exiting');
    polite.child.kill('SIGTERM');
    await exiting;
    expect(await polite.exit).toEqual([0, null]);

    const stubborn = startFake(['--ignore-sigterm']);
    await stubborn.line((line) => line === 'ready');
    const ignoring = stubborn.line((line) => line === 'ignoring SIGTERM');
    stubborn.child.kill('SIGTERM');
    await ignoring;
    expect(stubborn.child.exitCode).toBeNull();
    stubborn.child.kill('SIGKILL');
    expect(await stubborn.exit).toEqual([null, 'SIGKILL']);
  });

  it('serves /health, reports zero after --zero-after and hangs after --hang-after', async () => {
    const port = await getFreePort();
    const fake = startFake([
      '--http-port',
      String(port),
      '--hashrate',
      '2500',
      '--zero-after',
      '300',
      '--hang-after',
      '600',
    ]);
    await fake.line((line) => line === 'ready');
    const first = await get(port, '/health');
    expect(first !== 'hung' && first.status).toBe(200);
    expect(first !== 'hung' && JSON.parse(first.body.toString())).toMatchObject({
      ok: true,
      hashrate: 2500,
      shares: { accepted: 0, rejected: 0 },
    });
    const missing = await get(port, '/nope');
    expect(missing !== 'hung' && missing.status).toBe(404);

    // Poll with a deadline: the switch happens at a time, not at an event we can await.
    const until = async (done: () => Promise<boolean>) => {
      const deadline = Date.now() + 5000;
      while (!(await done())) if (Date.now() > deadline) throw new Error('deadline passed');
    };
    await until(async () => {
      const answer = await get(port, '/health');
      return answer !== 'hung' && JSON.parse(answer.body.toString()).hashrate === 0;
    });
    await until(async () => (await get(port, '/health', 200)) === 'hung');
    expect(fake.child.exitCode).toBeNull(); // hung, not dead
  });

  it('answers junk and prints junk lines, one of them 100 KB, with --garbage', async () => {
    const port = await getFreePort();
    const fake = startFake(['--http-port', String(port), '--garbage']);
    let longest = 0;
    let pending = '';
    fake.child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) longest = Math.max(longest, part.length);
    });
    await fake.line((line) => line === 'ready');
    expect(longest).toBe(100 * 1024);
    const answer = await get(port, '/health');
    expect(answer).not.toBe('hung');
    expect(() => JSON.parse((answer as { body: Buffer }).body.toString())).toThrow();
  });

  it('starts a grandchild and prints its pid with --spawn-child', async () => {
    const fake = startFake(['--spawn-child']);
    const line = await fake.line((l) => l.startsWith('child pid'));
    const pid = Number(line.split(' ')[2]);
    try {
      expect(isProcessAlive(pid)).toBe(true);
    } finally {
      process.kill(pid, 'SIGKILL');
    }
    expect(await waitForProcessExit(pid)).toBe(true);
  });

  it('maps adapter options to flags', () => {
    expect(
      fakeProcessArgs({
        runForMs: 10,
        exitCode: 3,
        hangAfterMs: 20,
        ignoreSigterm: true,
        printLines: 2,
        spawnChild: true,
        hashrate: 1.5,
        zeroAfterMs: 30,
        garbage: true,
      }),
    ).toEqual([
      '--run-for',
      '10',
      '--exit-code',
      '3',
      '--hang-after',
      '20',
      '--ignore-sigterm',
      '--print-lines',
      '2',
      '--spawn-child',
      '--hashrate',
      '1.5',
      '--zero-after',
      '30',
      '--garbage',
    ]);
    expect(fakeProcessArgs({ ignoreSigterm: false })).toEqual([]);
  });
});
