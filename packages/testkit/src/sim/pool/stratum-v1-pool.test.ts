import { connect, type Socket } from 'node:net';
import { ConfigInvalidError, NdjsonSplitter } from '@rigkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../../leaks/expect-no-leaks.js';
import { findSv1Share } from '../sv1/find-sv1-share.js';
import { type StratumV1Miner, startStratumV1Miner } from '../sv1/stratum-v1-miner.js';
import { parseStratumV1Notify, type StratumV1Job } from '../ttminer/stratum-v1-job.js';
import { type StratumV1Pool, startStratumV1Pool } from './stratum-v1-pool.js';

/** About 4096 hashes per share: dozens of shares a second on one core. */
const EASY = 2 ** -20;

// biome-ignore lint/suspicious/noExplicitAny: test code reads arbitrary fields.
type Json = any;

/** A raw line client: every JSON line the pool sends, awaited in order. */
function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  const lines: Json[] = [];
  const waiters = new Set<() => void>();
  let closed = false;
  const splitter = new NdjsonSplitter(
    1 << 20,
    (line) => {
      lines.push(JSON.parse(line));
      for (const waiter of [...waiters]) waiter();
    },
    () => {},
  );
  socket.on('data', (chunk: Buffer) => splitter.push(chunk));
  socket.on('error', () => {});
  const closedPromise = new Promise<void>((resolve) =>
    socket.on('close', () => {
      closed = true;
      for (const waiter of [...waiters]) waiter();
      resolve();
    }),
  );
  let read = 0;
  /** The next line (in arrival order). */
  const next = () =>
    new Promise<Json>((resolve, reject) => {
      const check = () => {
        if (read < lines.length) {
          waiters.delete(check);
          resolve(lines[read++]);
        } else if (closed) {
          waiters.delete(check);
          reject(new Error('closed'));
        }
      };
      waiters.add(check);
      check();
    });
  const send = (message: object | string) =>
    socket.write(`${typeof message === 'string' ? message : JSON.stringify(message)}\n`);
  /** Sends a request and returns the next line (the answer: the pool answers in order). */
  const call = async (id: unknown, method: string, params: unknown[] = []) => {
    send({ id, method, params });
    return next();
  };
  return { socket, send, next, call, closed: closedPromise };
}

/** Subscribes and authorizes; returns the extranonce1 and the job sent after the login. */
async function login(client: ReturnType<typeof rawClient>, worker = 'w.1') {
  const subscribe = await client.call(1, 'mining.subscribe', ['test/1.0']);
  const authorize = await client.call(2, 'mining.authorize', [worker, 'x']);
  expect(authorize).toEqual({ id: 2, result: true, error: null });
  const difficulty = await client.next();
  const notify = await client.next();
  const job = parseStratumV1Notify(notify.params) as StratumV1Job;
  expect(typeof job).toBe('object');
  return {
    extranonce1: subscribe.result[1] as string,
    difficulty: difficulty.params[0] as number,
    job,
  };
}

const pools: StratumV1Pool[] = [];
const miners: StratumV1Miner[] = [];
async function pool(options: Parameters<typeof startStratumV1Pool>[0] = {}) {
  const started = await startStratumV1Pool({ jobIntervalMs: 0, ...options });
  pools.push(started);
  return started;
}
async function miner(options: Parameters<typeof startStratumV1Miner>[0]) {
  const started = await startStratumV1Miner(options);
  miners.push(started);
  return started;
}

afterEach(async () => {
  for (const m of miners.splice(0)) m.close();
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('startStratumV1Pool with the simulated miner', () => {
  it('accepts real shares, counts them on both sides, and releases everything on close', async () => {
    await expectNoLeaks(async () => {
      const shares: boolean[] = [];
      const p = await startStratumV1Pool({
        difficulty: EASY,
        jobIntervalMs: 0,
        onShare: (share) => shares.push(share.accepted),
      });
      const m = await startStratumV1Miner({ host: '127.0.0.1', port: p.port, worker: 'w.1' });
      await m.waitForShares(10);
      // Not clean: shares in flight for the first job stay valid, so none is rejected.
      const job = p.pushJob();
      await m.waitFor('job');
      expect(m.stats().jobId).toBe(job.jobId);
      await m.waitForShares(5);
      expect(m.stats()).toMatchObject({ authorized: true, difficulty: EASY, rejected: 0 });
      expect(p.stats()).toMatchObject({
        connections: 1,
        subscribed: 1,
        authorized: 1,
        rejected: 0,
      });
      expect(p.stats().accepted).toBeGreaterThanOrEqual(15);
      expect(shares.every(Boolean)).toBe(true);
      m.close();
      await p.close();
    });
  });

  it('verifies the version the miner rolls (BIP 310)', async () => {
    const p = await pool({ difficulty: EASY });
    const m = await miner({
      host: '127.0.0.1',
      port: p.port,
      worker: 'w.1',
      versionRolling: true,
    });
    const rolled: string[] = [];
    m.on('share', (event) => {
      if (event.share.versionBits !== undefined) rolled.push(event.share.versionBits);
    });
    await m.waitForShares(5);
    expect(m.stats().versionMask).toBe(0x1fffe000);
    expect(rolled.length).toBeGreaterThanOrEqual(5);
    expect(rolled.some((bits) => bits !== '00000000')).toBe(true);
    expect(p.stats().rejected).toBe(0);
  });

  it('raises the difficulty of a fast miner and lowers that of a slow one (vardiff)', async () => {
    const p = await pool({
      difficulty: EASY,
      vardiff: { targetSharesPerMinute: 60, retargetMs: 300, min: 2 ** -24, max: 1 },
    });
    const fast = await miner({ host: '127.0.0.1', port: p.port, worker: 'fast' });
    const raised = await fast.waitFor('difficulty');
    // The first set_difficulty is the login's; wait for the change.
    const next = raised === EASY ? await fast.waitFor('difficulty') : raised;
    expect(next).toBeGreaterThan(EASY);
    expect(next).toBeLessThanOrEqual(EASY * 4);
    fast.close();
    // A connection that sends no shares at all is lowered, step by step, down to the minimum.
    const idle = rawClient(p.port);
    await login(idle);
    const lowered = await idle.next();
    expect(lowered).toEqual({ id: null, method: 'mining.set_difficulty', params: [EASY / 4] });
    expect(await idle.next()).toEqual({
      id: null,
      method: 'mining.set_difficulty',
      params: [EASY / 16],
    });
    idle.socket.destroy();
  });

  it('refuses connections during an outage and serves again on the same port after recover', async () => {
    const p = await pool({ difficulty: EASY });
    const m = await miner({
      host: '127.0.0.1',
      port: p.port,
      worker: 'w.1',
      reconnectDelayMs: 50,
    });
    await m.waitForShares(2);
    const dropped = m.waitFor('disconnected');
    await p.outage();
    expect(await dropped).toEqual({ reconnect: true });
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(p.port, '127.0.0.1');
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
    expect(p.stats().connections).toBe(0);
    const back = m.waitFor('authorized', { timeoutMs: 5000 });
    await p.recover();
    await back;
    await m.waitForShares(2);
    expect(m.stats().connects).toBeGreaterThanOrEqual(2);
    expect(p.stats().totalConnections).toBeGreaterThanOrEqual(2);
  });

  it('gives extranonce-subscribed miners a new extranonce1 and accepts shares made with it', async () => {
    const p = await pool({ difficulty: EASY });
    const plain = await miner({ host: '127.0.0.1', port: p.port, worker: 'plain' });
    const m = await miner({
      host: '127.0.0.1',
      port: p.port,
      worker: 'w.1',
      extranonceSubscribe: true,
    });
    await m.waitForShares(2);
    await plain.waitForShares(1);
    const before = m.stats().extranonce1;
    const changed = m.waitFor('extranonce');
    expect(p.setExtranonce()).toBe(1);
    const { extranonce1 } = await changed;
    expect(extranonce1).not.toBe(before);
    expect(m.stats().extranonce1).toBe(extranonce1);
    const accepted = m.stats().accepted;
    await m.waitForShares(5);
    expect(m.stats().accepted).toBeGreaterThanOrEqual(accepted + 5);
    expect(p.stats().rejected).toBe(0);
  });

  it('rejects the next n valid shares (a reject burst), then accepts again', async () => {
    const p = await pool({ difficulty: EASY });
    const m = await miner({ host: '127.0.0.1', port: p.port, worker: 'w.1' });
    await m.waitForShares(1);
    p.rejectNext(3);
    // Answers to shares already in flight may still be acceptances; wait for the rejections.
    while (m.stats().rejected < 3) await m.waitForShares(1, { counting: 'answered' });
    await m.waitForShares(2);
    expect(m.stats().rejectedByCode).toEqual({ 23: 3 });
    expect(p.stats()).toMatchObject({ rejected: 3, rejectedByCode: { 23: 3 } });
    p.rejectNext(1, 20);
    while (m.stats().rejected < 4) await m.waitForShares(1, { counting: 'answered' });
    await m.waitForShares(1);
    expect(m.stats().rejectedByCode).toEqual({ 20: 1, 23: 3 });
  });

  it('sends client.reconnect; the miner follows it to another pool', async () => {
    const first = await pool({ difficulty: EASY });
    const second = await pool({ difficulty: EASY });
    const m = await miner({ host: '127.0.0.1', port: first.port, worker: 'w.1' });
    await m.waitForShares(1);
    expect(first.reconnectAll({ port: second.port })).toBe(1);
    await m.waitFor('authorized');
    await m.waitForShares(1);
    expect(second.stats()).toMatchObject({ connections: 1, authorized: 1 });
    expect(second.stats().accepted).toBeGreaterThanOrEqual(1);
    expect(m.stats().redirects).toBe(1);
  });

  it('sets everyone a new difficulty; shares found at the old, easier one still count until the next job', async () => {
    const p = await pool({ difficulty: EASY });
    const c = rawClient(p.port);
    const { extranonce1, job } = await login(c);
    const share = findSv1Share({ job, extranonce1, extranonce2: '00000007', difficulty: EASY });
    expect(share).toBeDefined();
    expect(p.setDifficulty(1)).toBe(1);
    expect(await c.next()).toEqual({ id: null, method: 'mining.set_difficulty', params: [1] });
    const params = ['w.1', job.jobId, '00000007', job.ntime, share?.nonce];
    expect(await c.call(3, 'mining.submit', params)).toEqual({ id: 3, result: true, error: null });
    p.pushJob();
    await c.next();
    const again = findSv1Share({ job, extranonce1, extranonce2: '00000008', difficulty: EASY });
    const stale = ['w.1', job.jobId, '00000008', job.ntime, again?.nonce];
    expect((await c.call(4, 'mining.submit', stale)).error).toEqual([
      23,
      'Low difficulty share',
      null,
    ]);
    c.socket.destroy();
  });
});

describe('startStratumV1Pool protocol', () => {
  it('answers subscribe, authorize, configure and extranonce.subscribe like the fixtures, ids verbatim', async () => {
    const p = await pool({ difficulty: 1024, extranonce1Size: 4, extranonce2Size: 4 });
    const c = rawClient(p.port);
    const subscribe = await c.call('mining.subscribe', 'mining.subscribe', ['cgminer/4.10.0']);
    expect(subscribe.id).toBe('mining.subscribe');
    expect(subscribe.error).toBeNull();
    const [subscriptions, extranonce1, size] = subscribe.result;
    expect(subscriptions).toEqual([
      ['mining.set_difficulty', expect.stringMatching(/^[0-9a-f]{32}$/)],
      ['mining.notify', expect.stringMatching(/^[0-9a-f]{32}$/)],
    ]);
    expect(extranonce1).toMatch(/^[0-9a-f]{8}$/);
    expect(size).toBe(4);
    const configure = await c.call(5, 'mining.configure', [
      ['version-rolling'],
      { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2 },
    ]);
    expect(configure).toEqual({
      id: 5,
      result: { 'version-rolling': true, 'version-rolling.mask': '1fffe000' },
      error: null,
    });
    expect(await c.call(3, 'mining.extranonce.subscribe')).toEqual({
      id: 3,
      result: true,
      error: null,
    });
    expect(await c.call(2, 'mining.authorize', ['account.worker1', 'x'])).toEqual({
      id: 2,
      result: true,
      error: null,
    });
    expect(await c.next()).toEqual({ id: null, method: 'mining.set_difficulty', params: [1024] });
    const notify = await c.next();
    expect(notify.id).toBeNull();
    expect(notify.method).toBe('mining.notify');
    const job = parseStratumV1Notify(notify.params) as StratumV1Job;
    expect(job).toMatchObject({ version: '20000000', cleanJobs: true });
    expect(job.merkleBranch.length).toBeGreaterThanOrEqual(2);
    expect(job.merkleBranch.length).toBeLessThanOrEqual(4);
    expect(await c.call(9.5, 'mining.suggest_target', [])).toEqual({
      id: 9.5,
      result: null,
      error: [20, 'Unknown method', null],
    });
    // A second connection gets another extranonce1.
    const other = rawClient(p.port);
    const second = await other.call(1, 'mining.subscribe', []);
    expect(second.result[1]).not.toBe(extranonce1);
    expect(p.stats()).toMatchObject({ connections: 2, subscribed: 2, authorized: 1 });
    c.socket.destroy();
    other.socket.destroy();
  });

  it('rejects shares with the right codes: 24, 25, 21, 20, 22, 23', async () => {
    const p = await pool({ difficulty: EASY, rejectPassword: 'bad' });
    const c = rawClient(p.port);
    const submit = (id: number, params: unknown[]) => c.call(id, 'mining.submit', params);
    // Not authorized yet.
    expect((await submit(1, ['w.1', '1', '00000000', '00000000', '00000000'])).error).toEqual([
      24,
      'Unauthorized worker',
      null,
    ]);
    expect((await c.call(2, 'mining.authorize', ['w.1', 'bad'])).error).toEqual([
      24,
      'Unauthorized worker',
      null,
    ]);
    // Authorized but not subscribed.
    expect((await c.call(3, 'mining.authorize', ['w.1', 'x'])).result).toBe(true);
    expect((await submit(4, ['w.1', '1', '00000000', '00000000', '00000000'])).error[0]).toBe(25);
    const subscribe = await c.call(5, 'mining.subscribe', []);
    const extranonce1 = subscribe.result[1] as string;
    await c.next(); // set_difficulty
    const job = parseStratumV1Notify((await c.next()).params) as StratumV1Job;
    const share = findSv1Share({ job, extranonce1, extranonce2: '0000abcd', difficulty: EASY });
    if (!share) throw new Error('no share found');
    const good = ['w.1', job.jobId, '0000abcd', job.ntime, share.nonce];
    expect((await submit(6, ['other', ...good.slice(1)])).error[0]).toBe(24);
    expect((await submit(7, ['w.1', 'nope', ...good.slice(2)])).error).toEqual([
      21,
      'Job not found',
      null,
    ]);
    expect((await submit(8, ['w.1', job.jobId, '00abcd', job.ntime, share.nonce])).error).toEqual([
      20,
      'Invalid extranonce2 size',
      null,
    ]);
    expect((await submit(9, ['w.1', job.jobId, '0000abcd', 'zz', share.nonce])).error[0]).toBe(20);
    expect(await submit(10, good)).toEqual({ id: 10, result: true, error: null });
    expect((await submit(11, good)).error).toEqual([22, 'Duplicate share', null]);
    // One byte of extranonce2 changed: the header hash is another one, far above the target.
    const flipped = ['w.1', job.jobId, '0000abce', job.ntime, share.nonce];
    expect((await submit(12, flipped)).error).toEqual([23, 'Low difficulty share', null]);
    // Version bits without mining.configure.
    expect((await submit(13, [...good, '00002000'])).error).toEqual([
      20,
      'Version rolling not configured',
      null,
    ]);
    expect(p.stats()).toMatchObject({
      accepted: 1,
      rejected: 9,
      rejectedByCode: { 20: 3, 21: 1, 22: 1, 23: 1, 24: 2, 25: 1 },
    });
    c.socket.destroy();
  });

  it('keeps the previous job valid after a normal push, not after a clean one', async () => {
    const p = await pool({ difficulty: EASY });
    const jobs: string[] = [];
    const c = rawClient(p.port);
    const { extranonce1, job: first } = await login(c);
    jobs.push(first.jobId);
    const shareFor = (job: StratumV1Job, extranonce2: string) => {
      const found = findSv1Share({ job, extranonce1, extranonce2, difficulty: EASY });
      return ['w.1', job.jobId, extranonce2, job.ntime, found?.nonce];
    };
    const pushed = p.pushJob();
    expect(pushed.jobId).not.toBe(first.jobId);
    expect(pushed.time).toBeGreaterThan(Date.now() - 60_000);
    const second = parseStratumV1Notify((await c.next()).params) as StratumV1Job;
    expect(second).toMatchObject({ jobId: pushed.jobId, cleanJobs: false });
    expect((await c.call(3, 'mining.submit', shareFor(first, '00000001'))).result).toBe(true);
    p.pushJob({ clean: true });
    const third = parseStratumV1Notify((await c.next()).params) as StratumV1Job;
    expect(third.cleanJobs).toBe(true);
    expect((await c.call(4, 'mining.submit', shareFor(second, '00000002'))).error[0]).toBe(21);
    expect((await c.call(5, 'mining.submit', shareFor(third, '00000003'))).result).toBe(true);
    expect(p.stats().jobs).toBe(3);
    c.socket.destroy();
  });

  it('accepts anything well-formed with verifyShares: false', async () => {
    const p = await pool({ difficulty: 1_000_000, verifyShares: false });
    const c = rawClient(p.port);
    const { job } = await login(c);
    const params = ['w.1', job.jobId, '00000000', job.ntime, 'deadbeef'];
    expect((await c.call(3, 'mining.submit', params)).result).toBe(true);
    expect((await c.call(4, 'mining.submit', params)).error[0]).toBe(22);
    c.socket.destroy();
  });

  it('closes a connection on bad JSON or an over-long line and counts it', async () => {
    const p = await pool({ maxLineBytes: 1024 });
    const a = rawClient(p.port);
    a.send('{"id":1,"method":');
    await a.closed;
    const b = rawClient(p.port);
    b.socket.write('x'.repeat(4096));
    await b.closed;
    expect(p.stats().protocolErrors).toBe(2);
  });

  it('closes connections beyond maxConnections at once', async () => {
    const p = await pool({ maxConnections: 1 });
    const a = rawClient(p.port);
    await a.call(1, 'mining.subscribe', []);
    const b = rawClient(p.port);
    await b.closed;
    expect(p.stats()).toMatchObject({ connections: 1, refusedConnections: 1 });
    a.socket.destroy();
  });

  it('pushes jobs on its own timer and reports them to onJob', async () => {
    const events: Array<{ jobId: string; recipients: number }> = [];
    let resolve: () => void = () => {};
    const two = new Promise<void>((r) => {
      resolve = r;
    });
    const p = await pool({
      jobIntervalMs: 20,
      onJob: (job) => {
        events.push(job);
        if (events.length === 2) resolve();
      },
    });
    const c = rawClient(p.port);
    await login(c);
    await two;
    expect(events[1]?.jobId).not.toBe(events[0]?.jobId);
    expect(p.stats().jobs).toBeGreaterThanOrEqual(3);
    c.socket.destroy();
  });

  it('refuses bad options with ConfigInvalidError', async () => {
    await expect(startStratumV1Pool({ extranonce2Size: 0 })).rejects.toBeInstanceOf(
      ConfigInvalidError,
    );
    await expect(startStratumV1Pool({ difficulty: -1 })).rejects.toThrow(/difficulty/);
    await expect(
      startStratumV1Pool({ vardiff: { targetSharesPerMinute: 1, retargetMs: 10, min: 2, max: 1 } }),
    ).rejects.toThrow(/vardiff.max/);
  });
});
