// End-to-end: the BUILT `rigkit proxy` (dist/bin.js) in front of the CryptoNote pool simulator,
// a raw TCP miner logging in through it, then SIGINT. Build first: `npx turbo run build --filter=rigkit`.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startCryptoNotePool } from '@rigkit/testkit/simulators';
import { describe, expect, it, onTestFinished } from 'vitest';

const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

/** Collects a stream's lines and resolves waiters when a matching line arrives. */
function lines(stream: NodeJS.ReadableStream) {
  const seen: string[] = [];
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      seen.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(line)) waiter.resolve(line);
        else waiters.push(waiter);
      }
    }
  });
  return {
    seen,
    next(match: (line: string) => boolean): Promise<string> {
      const hit = seen.find(match);
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

describe('rigkit proxy (built bin)', () => {
  it('proxies a CryptoNote login to the pool and exits 0 on SIGINT', async () => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first`);
    const pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 });
    onTestFinished(() => pool.close());
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    for (const key of Object.keys(env)) if (key.startsWith('RIGKIT_')) delete env[key];
    env.RIGKIT_POOL_PASS = 'SENTINEL-POOL-PASS';
    const child: ChildProcess = spawn(
      process.execPath,
      [
        BIN,
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
        '1',
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    const stdout = lines(child.stdout as NodeJS.ReadableStream);
    const stderr = lines(child.stderr as NodeJS.ReadableStream);

    const startup = await Promise.race([
      stdout.next((line) => line.startsWith('stratum proxy listening on ')),
      exited.then(([code]) => {
        throw new Error(`rigkit proxy exited (${code}): ${stderr.seen.join('\n')}`);
      }),
    ]);
    expect(startup).toMatch(
      new RegExp(
        `^stratum proxy listening on 127\\.0\\.0\\.1:\\d+ · cryptonote aggregate · pool ${pool.url}$`,
      ),
    );
    const port = Number(/:(\d+) ·/.exec(startup)?.[1]);

    const socket = connect(port, '127.0.0.1');
    onTestFinished(() => {
      socket.destroy();
    });
    await once(socket, 'connect');
    socket.write(
      `${JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'login', params: { login: 'rig-e2e', pass: 'x', agent: 'e2e' } })}\n`,
    );
    const [reply] = (await once(socket, 'data')) as [Buffer];
    const login = JSON.parse(reply.toString('utf8').split('\n')[0] ?? '');
    expect(login).toMatchObject({
      id: 1,
      result: { status: 'OK', job: { job_id: expect.any(String), blob: expect.any(String) } },
    });
    await stderr.next((line) => line.startsWith('worker rig-e2e connected from 127.0.0.1'));
    await stdout.next((line) => line.startsWith('miners 1 (max 1)'));
    expect(pool.stats().logins).toBe(1); // the proxy's one upstream login

    child.kill('SIGINT');
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const all = [...stdout.seen, ...stderr.seen].join('\n');
    expect(all).not.toContain('SENTINEL-POOL-PASS');
    expect(all).not.toContain('farm-wallet');
    expect(stderr.seen).toContain('rigkit: stratum proxy stopped');
  });
});
