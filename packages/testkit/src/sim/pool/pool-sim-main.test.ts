import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { NdjsonSplitter } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../../leaks/expect-no-leaks.js';
import { startStratumV1Miner } from '../sv1/stratum-v1-miner.js';
import { parsePoolSimArgs, poolSimMain } from './pool-sim-main.js';
import { simPoolPath } from './sim-pool-path.js';

// biome-ignore lint/suspicious/noExplicitAny: test code reads arbitrary fields.
type Json = any;

/** Runs `poolSimMain` in this process with piped stdin/stdout. */
function runInProcess(argv: string[]) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const events: Json[] = [];
  const waiters = new Set<() => void>();
  let errText = '';
  stderr.on('data', (chunk: Buffer) => {
    errText += chunk.toString();
  });
  const splitter = new NdjsonSplitter(
    1 << 20,
    (line) => {
      events.push(line.startsWith('{') ? JSON.parse(line) : { text: line });
      for (const waiter of [...waiters]) waiter();
    },
    () => {},
  );
  stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
  const exit = poolSimMain(argv, { stdin, stdout, stderr });
  /** The next event (from the start, in order) matching `predicate`. */
  let seen = 0;
  const next = (predicate: (event: Json) => boolean = () => true) =>
    new Promise<Json>((resolve) => {
      const check = () => {
        while (seen < events.length) {
          const event = events[seen++];
          if (predicate(event)) {
            waiters.delete(check);
            resolve(event);
            return;
          }
        }
      };
      waiters.add(check);
      check();
    });
  const command = (cmd: object) => stdin.write(`${JSON.stringify(cmd)}\n`);
  return { stdin, exit, next, command, stderr: () => errText };
}

describe('rigkit-sim-pool', () => {
  it('runs a Stratum V1 pool driven from stdin commands', async () => {
    await expectNoLeaks(async () => {
      const sim = runInProcess([
        '--protocol',
        'stratum-v1',
        '--difficulty',
        String(2 ** -20),
        '--job-interval',
        '0',
        '--extranonce2-size',
        '4',
      ]);
      const listening = await sim.next();
      expect(listening).toMatchObject({
        event: 'listening',
        protocol: 'stratum-v1',
        host: '127.0.0.1',
      });
      const miner = await startStratumV1Miner({
        host: '127.0.0.1',
        port: listening.port,
        worker: 'w',
        extranonceSubscribe: true,
      });
      await miner.waitForShares(2);
      sim.command({ cmd: 'pushJob', clean: true });
      const job = await sim.next();
      expect(job).toEqual({ event: 'job', jobId: expect.any(String), time: expect.any(Number) });
      expect(Math.abs(job.time - Date.now())).toBeLessThan(5000);
      sim.command({ cmd: 'rejectNext', n: 2 });
      expect(await sim.next()).toEqual({ event: 'ok', cmd: 'rejectNext', n: 2 });
      sim.command({ cmd: 'setExtranonce' });
      expect(await sim.next()).toEqual({ event: 'ok', cmd: 'setExtranonce', connections: 1 });
      // A clean job may also make shares in flight stale (21); wait for the two of the burst.
      while ((miner.stats().rejectedByCode[23] ?? 0) < 2) {
        await miner.waitForShares(1, { counting: 'answered' });
      }
      sim.command({ cmd: 'stats' });
      const { stats } = await sim.next();
      expect(stats).toMatchObject({ connections: 1, authorized: 1, jobs: 2 });
      expect(stats.rejectedByCode['23']).toBe(2);
      sim.command({ cmd: 'outage' });
      expect(await sim.next()).toEqual({ event: 'ok', cmd: 'outage' });
      sim.command({ cmd: 'recover' });
      expect(await sim.next()).toEqual({ event: 'ok', cmd: 'recover', port: listening.port });
      sim.command({ cmd: 'nonsense' });
      expect(await sim.next()).toMatchObject({ event: 'error', cmd: 'nonsense' });
      miner.close();
      sim.command({ cmd: 'close' });
      expect(await sim.exit).toBe(0);
    });
  });

  it('runs a CryptoNote pool and stops at the end of stdin', async () => {
    const sim = runInProcess(['--protocol', 'cryptonote', '--job-interval', '0', '--vardiff']);
    const listening = await sim.next();
    expect(listening).toMatchObject({ event: 'listening', protocol: 'cryptonote' });
    sim.command({ cmd: 'pushJob' });
    expect(await sim.next()).toMatchObject({ event: 'job', jobId: expect.any(String) });
    sim.command({ cmd: 'setExtranonce' });
    expect(await sim.next()).toMatchObject({
      event: 'error',
      cmd: 'setExtranonce',
      message: 'setExtranonce is only for stratum-v1',
    });
    sim.stdin.end();
    expect(await sim.exit).toBe(0);
  });

  it('refuses a bad command line with a message on stderr and exit code 2', async () => {
    for (const argv of [
      [],
      ['--protocol', 'stratum-v2'],
      ['--protocol', 'stratum-v1', '--bogus'],
      ['--protocol', 'stratum-v1', '--port', 'x'],
      ['--protocol', 'stratum-v1', '--difficulty', '0'],
      ['--protocol', 'stratum-v1', '--nicehash'],
      ['--protocol', 'cryptonote', '--extranonce2-size', '2'],
      ['--protocol', 'stratum-v1', 'positional'],
    ]) {
      const sim = runInProcess(argv);
      expect(await sim.exit, argv.join(' ')).toBe(2);
      expect(sim.stderr()).toMatch(/^rigkit-sim-pool: /);
    }
    expect(parsePoolSimArgs(['--help'])).toBe('help');
    expect(parsePoolSimArgs(['--protocol', 'stratum-v1', '--extranonce2-size', '2'])).toMatchObject(
      {
        protocol: 'stratum-v1',
        extranonce2Size: 2,
        port: 0,
        verify: true,
      },
    );
  });

  it('the built program prints its listening line and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [simPoolPath(), '--protocol', 'stratum-v1'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(JSON.parse(line)).toMatchObject({ event: 'listening', protocol: 'stratum-v1' });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
