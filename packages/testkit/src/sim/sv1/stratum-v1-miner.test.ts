import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../../leaks/expect-no-leaks.js';
import { startStratumV1Pool } from '../pool/stratum-v1-pool.js';
import { parseStratumV1Notify, type StratumV1Job } from '../ttminer/stratum-v1-job.js';
import {
  StratumV1TestPool,
  type StratumV1TestPoolOptions,
} from '../ttminer/testing/stratum-v1-test-pool.js';
import { type StratumV1Miner, startStratumV1Miner } from './stratum-v1-miner.js';
import { sv1Target, verifySv1Share } from './sv1-share.js';

const EASY = 2 ** -20;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function testPool(options: StratumV1TestPoolOptions = {}) {
  const pool = await StratumV1TestPool.start(options);
  cleanups.push(() => pool.close());
  return pool;
}
async function miner(options: Parameters<typeof startStratumV1Miner>[0]) {
  const started = await startStratumV1Miner(options);
  cleanups.push(() => started.close());
  return started;
}

describe('startStratumV1Miner', () => {
  it('logs in like a Stratum V1 miner and submits real shares of the fixture job', async () => {
    const pool = await testPool({ difficulty: EASY });
    const m = await miner({
      host: '127.0.0.1',
      port: pool.port,
      worker: 'account.worker1',
      extranonceSubscribe: true,
    });
    await m.waitForShares(3);
    const [subscribe] = pool.byMethod('mining.subscribe');
    expect(subscribe?.json).toEqual({
      id: 1,
      method: 'mining.subscribe',
      params: ['rigkit-sim-sv1/0.1'],
    });
    expect(pool.byMethod('mining.authorize')[0]?.json).toEqual({
      id: 2,
      method: 'mining.authorize',
      params: ['account.worker1', 'x'],
    });
    expect(pool.byMethod('mining.extranonce.subscribe')).toHaveLength(1);
    const notify = JSON.parse(
      '["bf","4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000","01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008","072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000",[],"00000002","1c2ac4af","504e86b9",false]',
    );
    const job = parseStratumV1Notify(notify) as StratumV1Job;
    const submits = pool.byMethod('mining.submit');
    expect(submits.length).toBeGreaterThanOrEqual(3);
    const ids = new Set<number>();
    for (const { json } of submits) {
      const [worker, jobId, extranonce2, ntime, nonce] = json.params;
      expect(json.params).toHaveLength(5);
      expect([worker, jobId, ntime]).toEqual(['account.worker1', 'bf', '504e86b9']);
      expect(extranonce2).toMatch(/^[0-9a-f]{8}$/);
      ids.add(json.id);
      // Each one is a real share of the fixture job at the pool's difficulty.
      const verdict = verifySv1Share(
        job,
        { extranonce2, ntime, nonce },
        { extranonce1: '08000002', target: sv1Target(EASY) },
      );
      expect(verdict.valid).toBe(true);
    }
    expect(ids.size).toBe(submits.length);
    // The pool may have read a share whose answer the miner has not seen yet.
    expect(m.stats().accepted).toBeGreaterThanOrEqual(3);
    expect(m.stats().accepted).toBeLessThanOrEqual(submits.length);
    expect(m.stats()).toMatchObject({ rejected: 0, extranonce1: '08000002' });
  });

  it('counts rejections by the pool error code', async () => {
    const pool = await testPool({ difficulty: EASY, accept: (n) => n % 2 === 0 });
    const m = await miner({ host: '127.0.0.1', port: pool.port, worker: 'w' });
    const rejections: Array<number | null> = [];
    m.on('share', (event) => {
      if (!event.accepted) rejections.push(event.code);
    });
    await m.waitForShares(4, { counting: 'answered' });
    expect(m.stats().rejectedByCode[23]).toBeGreaterThanOrEqual(2);
    expect(rejections.every((code) => code === 23)).toBe(true);
  });

  it('keeps to hashesPerSecond', async () => {
    const pool = await testPool({ difficulty: 1e9 });
    const m = await miner({
      host: '127.0.0.1',
      port: pool.port,
      worker: 'w',
      hashesPerSecond: 20_000,
    });
    await m.waitFor('authorized');
    const start = performance.now();
    await new Promise<void>((resolve) => {
      // An upper bound only: hashing slower on a busy machine is fine.
      const timer = setInterval(() => {
        if (performance.now() - start < 500) return;
        clearInterval(timer);
        resolve();
      }, 50);
    });
    const elapsed = (performance.now() - start) / 1000;
    const { hashes } = m.stats();
    expect(hashes).toBeGreaterThan(0);
    expect(hashes).toBeLessThanOrEqual(20_000 * (elapsed + 0.05) + 200);
  });

  it('stops for good when the pool refuses the login', async () => {
    const pool = await testPool({ authorize: false });
    const m = await miner({
      host: '127.0.0.1',
      port: pool.port,
      worker: 'w',
      reconnectDelayMs: 10,
    });
    const refused = await m.waitFor('refused');
    expect(refused).toEqual({ code: null, message: null });
    await m.waitFor('disconnected');
    expect(m.stats()).toMatchObject({ connects: 1, authorized: false, connected: false });
  });

  it('times out waiting when there is no work, and close() fails pending waits', async () => {
    const pool = await testPool({ sendJob: false });
    const m = await miner({ host: '127.0.0.1', port: pool.port, worker: 'w' });
    await expect(m.waitForShares(1, { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'E_SIM_TIMEOUT',
    });
    const waiting = m.waitForShares(1);
    m.close();
    await expect(waiting).rejects.toMatchObject({ code: 'E_SIM_CLOSED' });
    await expect(m.waitFor('job')).rejects.toMatchObject({ code: 'E_SIM_CLOSED' });
  });

  it('does not send more than maxPending unanswered shares', async () => {
    const lines: string[] = [];
    const server = createServer((socket) => {
      socket.on('error', () => {});
      socket.on('data', (chunk) => {
        for (const line of chunk.toString().split('\n').filter(Boolean)) {
          lines.push(line);
          const json = JSON.parse(line);
          if (json.method === 'mining.subscribe') {
            socket.write(
              `${JSON.stringify({ id: json.id, result: [[], '00000001', 4], error: null })}\n`,
            );
          } else if (json.method === 'mining.authorize') {
            socket.write(`${JSON.stringify({ id: json.id, result: true, error: null })}\n`);
            socket.write(
              `${JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [EASY] })}\n`,
            );
            const job = [
              '1',
              'ab'.repeat(32),
              'aa',
              'bb',
              [],
              '20000000',
              '1703a30c',
              '66000000',
              true,
            ];
            socket.write(`${JSON.stringify({ id: null, method: 'mining.notify', params: job })}\n`);
          }
          // Submits are never answered.
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const port = (server.address() as { port: number }).port;
    const m = await miner({ host: '127.0.0.1', port, worker: 'w', maxPending: 3 });
    const found: boolean[] = [];
    m.on('found', ({ sent }) => found.push(sent));
    await new Promise<void>((resolve) => m.on('found', ({ sent }) => !sent && resolve()));
    expect(found.slice(0, 4)).toEqual([true, true, true, false]);
    expect(m.stats()).toMatchObject({ submitted: 3, dropped: 1, accepted: 0 });
    expect(lines.filter((line) => line.includes('mining.submit'))).toHaveLength(3);
    m.close();
  });

  it('fails to start when nothing listens, leaving nothing behind', async () => {
    await expectNoLeaks(async () => {
      const pool = await startStratumV1Pool();
      const { port } = pool;
      await pool.close();
      await expect(
        startStratumV1Miner({ host: '127.0.0.1', port, worker: 'w' }),
      ).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
    });
  });

  it('releases its socket and timers on close, also while reconnecting', async () => {
    await expectNoLeaks(async () => {
      const pool = await startStratumV1Pool({ difficulty: EASY, jobIntervalMs: 0 });
      const m: StratumV1Miner = await startStratumV1Miner({
        host: '127.0.0.1',
        port: pool.port,
        worker: 'w',
        hashesPerSecond: 50_000,
        reconnectDelayMs: 60_000,
      });
      await m.waitForShares(1);
      const dropped = m.waitFor('disconnected');
      await pool.outage();
      await dropped;
      m.close();
      await pool.close();
    });
  });
});
