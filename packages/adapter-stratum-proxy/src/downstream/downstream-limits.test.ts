// Every limit of the miners' side, enforced on the live path: a real proxy in front of the
// CryptoNote pool simulator, raw TCP clients that misbehave in one way each. Deadlines and the
// message rate run on the proxy's injected clock, so no test waits for real time to pass.

import { connect } from 'node:net';
import { type CryptoNotePool, startCryptoNotePool } from '@rigkit/testkit/simulators';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProxyOptionsInput } from '../options/proxy-options.js';
import { loginCnMiner } from '../testing/cryptonote-miner.js';
import { fakeClock } from '../testing/fake-clock.js';
import { closedWithin, connectLineClient, type LineClient } from '../testing/line-client.js';
import { startTestProxy, type TestProxy, until } from '../testing/proxy-harness.js';

// Real sockets on a shared 2-core machine: generous per-test time, events awaited inside.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

let pool: CryptoNotePool;
const cleanups: Array<() => unknown> = [];

beforeEach(async () => {
  pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 });
  cleanups.push(() => pool.close());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxyWith(
  limits: ProxyOptionsInput['limits'],
  deps: Parameters<typeof startTestProxy>[1] = {},
): Promise<TestProxy> {
  const started = await startTestProxy(
    {
      protocol: 'cryptonote',
      mode: 'aggregate',
      pools: [{ url: pool.url, user: 'farm-wallet', pass: 'pool-secret' }],
      limits,
    },
    deps,
  );
  cleanups.push(() => started.proxy.stop());
  // The warm upstream is logged in before miners arrive, so logins are answered at once.
  await started.events.next('proxy.upstream.up');
  return started;
}

async function client(port: number, localAddress?: string): Promise<LineClient> {
  const connected = await connectLineClient(port, localAddress ? { localAddress } : {});
  cleanups.push(() => connected.destroy());
  return connected;
}

/** A round trip that proves the connection is open and served. */
async function ping(target: LineClient, id: number | string = 'ping'): Promise<void> {
  const reply = await target.call({ id, jsonrpc: '2.0', method: 'keepalived', params: {} });
  expect(reply.result).toEqual({ status: 'KEEPALIVED' });
}

describe('connection limits at the door', () => {
  it('refuses connections over the global limit and counts them; a freed place is reused', async () => {
    const { proxy, port } = await proxyWith({ maxConnections: 3 });
    const open = [await client(port), await client(port), await client(port)];
    for (const [i, c] of open.entries()) await ping(c, i);

    const refused = await client(port);
    await closedWithin(refused);
    expect(refused.lines).toEqual([]);
    expect(proxy.stats().miners.refused).toEqual({ global: 1, perIp: 0 });
    expect(proxy.stats().miners.now).toBe(3);
    for (const [i, c] of open.entries()) await ping(c, i); // the others are unaffected

    open[0]?.destroy();
    await open[0]?.closed;
    // The proxy sees the close a moment later (no event for a miner that never logged in).
    await until(() => proxy.stats().miners.now === 2, undefined, 'the proxy to see the close');
    await ping(await client(port), 'again');
    expect(proxy.stats().miners.refused.global).toBe(1);
    expect(proxy.stats().miners.max).toBe(3);
  });

  it('refuses connections over the per-IP limit and still accepts another address', async () => {
    const { proxy, port } = await proxyWith({ maxConnections: 100, maxConnectionsPerIp: 2 });
    const a = await client(port, '127.0.0.1');
    const b = await client(port, '127.0.0.1');
    await ping(a);
    await ping(b);
    const third = await client(port, '127.0.0.1');
    await closedWithin(third);
    expect(proxy.stats().miners.refused).toEqual({ global: 0, perIp: 1 });

    const other = await client(port, '127.0.0.2');
    await ping(other);
    expect(proxy.stats().miners.now).toBe(3);
  });
});

describe('line length', () => {
  it('answers a line over maxLineBytes with E_STRATUM_MESSAGE_TOO_LARGE and closes', async () => {
    const { proxy, port } = await proxyWith({ maxLineBytes: 1024 });
    const c = await client(port);
    c.write(`{"id":1,"method":"login","params":{"login":"${'a'.repeat(2000)}"}}\n`);
    const error = await c.next((line) => line.error !== undefined);
    expect(error).toMatchObject({
      id: null,
      error: { rigkit: 'E_STRATUM_MESSAGE_TOO_LARGE', message: expect.stringContaining('1024') },
    });
    await closedWithin(c);
    expect(proxy.stats().closed['message-too-large']).toBe(1);
  });

  it('counts a line split over many TCP chunks as one line (accepted under, refused over)', async () => {
    const { proxy, port } = await proxyWith({
      maxLineBytes: 1024,
      // One message per connection: were each chunk counted, the rate limit would close it.
      messagesPerSecond: 1,
      messageBurst: 1,
    });
    const algo = JSON.stringify(Array.from({ length: 30 }, (_, i) => `algo-${i}`.padEnd(24, 'x')));
    const login = `{"id":7,"jsonrpc":"2.0","method":"login","params":{"login":"split-rig","pass":"x","algo":${algo}}}\n`;
    expect(login.length).toBeGreaterThan(800);
    expect(login.length).toBeLessThan(1024);
    const under = await client(port);
    under.socket.setNoDelay(true);
    for (let at = 0; at < login.length; at += 9) {
      under.write(login.slice(at, at + 9));
      await new Promise<void>((resolve) => setImmediate(resolve)); // separate writes, not timing
    }
    const reply = await under.next((line) => line.id === 7);
    expect(reply.error).toBeNull();
    expect((reply.result as { status: string }).status).toBe('OK');

    // Over the limit without a newline and without any single large chunk: still refused.
    const over = await client(port);
    over.socket.setNoDelay(true);
    for (let sent = 0; sent < 1100 && !over.isClosed; sent += 10) {
      over.write('{"id":8,"x'.padEnd(10, 'y'));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await closedWithin(over);
    expect(over.lines[0]).toMatchObject({ error: { rigkit: 'E_STRATUM_MESSAGE_TOO_LARGE' } });
    expect(proxy.stats().closed['message-too-large']).toBe(1);
    expect(proxy.stats().closed['rate-limit']).toBeUndefined();
  });
});

describe('deadlines (injected clock)', () => {
  it('hands over its last line to a miner that keeps sending, and drops one that never closes', async () => {
    const clock = fakeClock();
    const { proxy, port } = await proxyWith(
      { maxLineBytes: 1024, loginTimeoutMs: 400 },
      { now: clock.now },
    );
    // Half-open allowed: this peer never closes its side by itself.
    const socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    cleanups.push(() => socket.destroy());
    socket.on('error', () => {}); // the reset that ends it
    let received = '';
    const errorLine = new Promise<string>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        if (received.includes('\n')) resolve(received);
      });
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // Over the limit, and more bytes right behind it: closing with a reset here could make the
    // kernel drop the error line before this side reads it.
    socket.write(`{"id":1,"method":"login","params":{"login":"${'a'.repeat(2000)}"}}\n`);
    socket.write('x'.repeat(64 * 1024));
    expect(JSON.parse(await errorLine)).toMatchObject({
      error: { rigkit: 'E_STRATUM_MESSAGE_TOO_LARGE' },
    });
    await until(() => proxy.stats().closed['message-too-large'] === 1);
    expect(proxy.stats().miners.now).toBe(0); // closed for the proxy, only the socket drains

    // Still draining: what this side sends is read and dropped, nothing resets it.
    socket.write('more\n');
    clock.advance(2500); // past the drain period: the next sweep destroys the proxy's socket,
    // and a write into a destroyed connection comes back as a reset.
    await until(() => {
      if (!socket.destroyed) socket.write('more\n');
      return socket.destroyed;
    });
  });

  it('closes a connection that does not log in before the login deadline', async () => {
    const clock = fakeClock();
    const { proxy, port, events } = await proxyWith(
      { loginTimeoutMs: 400, idleTimeoutMs: 400 },
      { now: clock.now },
    );
    const early = await client(port);
    await ping(early); // connected at t0: deadline t0 + 400
    clock.advance(300);
    const late = await client(port);
    await ping(late); // connected at t0 + 300: deadline t0 + 700
    clock.advance(150); // t0 + 450

    await closedWithin(early);
    // The sweep that closed `early` ran at t0 + 450 and looked at `late` too.
    await ping(late);
    expect(proxy.stats().closed['login-timeout']).toBe(1);
    // Never logged in: no worker event.
    expect(events.of('proxy.worker.disconnected')).toEqual([]);

    clock.advance(300); // t0 + 750
    await closedWithin(late);
    expect(proxy.stats().closed['login-timeout']).toBe(2);
  });

  it('refreshes the idle deadline on submit and keepalive, not on other traffic', async () => {
    const clock = fakeClock();
    const { proxy, port, events } = await proxyWith(
      { loginTimeoutMs: 400, idleTimeoutMs: 400 },
      { now: clock.now },
    );
    const keeper = await loginCnMiner(port, 'keeper');
    const submitter = await loginCnMiner(port, 'submitter');
    const chatter = await loginCnMiner(port, 'chatter');
    for (const miner of [keeper, submitter, chatter]) cleanups.push(() => miner.client.destroy());

    clock.advance(300);
    await ping(keeper.client);
    expect((await submitter.submit(1)).result).toEqual({ status: 'OK' });
    // Traffic that is not a share or keepalive: a second login, an unknown method.
    const again = await chatter.client.call({
      id: 'again',
      jsonrpc: '2.0',
      method: 'login',
      params: { login: 'chatter', pass: 'x' },
    });
    expect(again.error).toMatchObject({ message: 'Already logged in' });
    const unknown = await chatter.client.call({ id: 'u', jsonrpc: '2.0', method: 'getjob' });
    expect(unknown.error).toBeTruthy();

    clock.advance(200); // login + 500: chatter is past its deadline, the others at + 700
    const gone = await events.next('proxy.worker.disconnected');
    expect(gone).toMatchObject({ worker: 'chatter', reason: 'idle' });
    await closedWithin(chatter.client);
    // The sweep that closed chatter looked at keeper too (a ping would refresh it, so none).
    expect(keeper.client.isClosed).toBe(false);
    expect((await submitter.submit(2)).result).toEqual({ status: 'OK' }); // refreshes to + 900

    clock.advance(250); // + 750: keeper (deadline + 700) goes, submitter (+ 900) stays
    await closedWithin(keeper.client);
    expect(
      events.of('proxy.worker.disconnected').map((event) => [event.worker, event.reason]),
    ).toEqual([
      ['chatter', 'idle'],
      ['keeper', 'idle'],
    ]);
    await ping(submitter.client, 'still-here');
    expect(proxy.stats().closed.idle).toBe(2);
  });
});

describe('write buffer cap', () => {
  it('disconnects a miner that never reads as slow-reader; readers keep getting every job', async () => {
    const { proxy, port, events } = await proxyWith({ maxWriteBufferBytes: 4096 });
    const reader = await loginCnMiner(port, 'reader');
    const sleeper = await loginCnMiner(port, 'sleeper');
    cleanups.push(() => reader.client.destroy());
    cleanups.push(() => sleeper.client.destroy());
    sleeper.client.socket.pause(); // reads nothing from now on

    const slow = events.next('proxy.worker.disconnected', (event) => event.worker === 'sleeper', {
      timeoutMs: 60_000,
    });
    let disconnected = false;
    void slow.then(() => {
      disconnected = true;
    });
    let pushed = 0;
    // Jobs go out until the proxy gives up on the sleeper; the kernel's socket buffers take a
    // few megabytes first. Each batch is awaited at the reader, so nothing piles up in the test.
    while (!disconnected && pushed < 40_000) {
      let last = '';
      for (let i = 0; i < 200; i++) last = pool.pushJob().jobId;
      pushed += 200;
      await reader.client.next(
        (line) => line.method === 'job' && (line.params as { job_id: string }).job_id === last,
      );
      reader.client.lines.length = 0; // keep the test's own memory flat
    }
    expect(await slow).toMatchObject({ worker: 'sleeper', reason: 'slow-reader' });
    expect(proxy.stats().closed['slow-reader']).toBe(1);
    // The cap bounds what the proxy holds for the sleeper: it was never more than the cap plus
    // one line when it was dropped, however many jobs went out (checked by the close itself).
    expect(pushed).toBeGreaterThan(0);
    await ping(reader.client);
    expect(proxy.stats().miners.now).toBe(1);
  });
});

describe('message rate (injected clock)', () => {
  it('closes a connection that sends more than the burst, refills at the rate', async () => {
    const clock = fakeClock();
    const { proxy, port } = await proxyWith(
      { messagesPerSecond: 5, messageBurst: 10 },
      { now: clock.now },
    );
    const flood = await client(port);
    const lines = Array.from(
      { length: 11 },
      (_, i) => `{"id":${i},"jsonrpc":"2.0","method":"keepalived","params":{}}\n`,
    );
    flood.write(lines.join(''));
    await closedWithin(flood);
    expect(flood.lines.filter((line) => line.result !== undefined)).toHaveLength(10);
    expect(proxy.stats().closed['rate-limit']).toBe(1);

    const steady = await client(port);
    steady.write(lines.slice(0, 10).join(''));
    await steady.next((line) => line.id === 9);
    clock.advance(1000); // + 5 tokens
    steady.write(lines.slice(0, 5).join('').replaceAll('"id":', '"id":1'));
    await steady.next((line) => line.id === 14);
    expect(steady.isClosed).toBe(false);
    steady.write(lines[0]?.replace('"id":0', '"id":99') ?? '');
    await closedWithin(steady);
    expect(proxy.stats().closed['rate-limit']).toBe(2);
  });
});

describe('share bookkeeping', () => {
  it('rejects a duplicate share without sending it to the pool', async () => {
    const { proxy, port } = await proxyWith({});
    const miner = await loginCnMiner(port, 'dup');
    cleanups.push(() => miner.client.destroy());
    expect((await miner.submit(42)).result).toEqual({ status: 'OK' });
    const again = await miner.submit(42);
    expect(again.error).toMatchObject({ message: 'Duplicate share' });
    expect(pool.stats().accepted).toBe(1);
    expect(pool.stats().rejected).toBe(0);
    expect(proxy.stats().shares).toMatchObject({ accepted: 1, invalid: 1 });
  });

  it('caps the shares remembered per job (maxSharesPerJob) and starts over on a new job', async () => {
    const { proxy, port } = await proxyWith({ maxSharesPerJob: 3 });
    const miner = await loginCnMiner(port, 'many');
    cleanups.push(() => miner.client.destroy());
    for (const n of [1, 2, 3]) expect((await miner.submit(n)).result).toEqual({ status: 'OK' });
    const fourth = await miner.submit(4);
    expect(fourth.error).toMatchObject({ message: 'Too many shares for this job' });
    expect(pool.stats().accepted).toBe(3);

    const jobId = pool.pushJob().jobId;
    await miner.client.next(
      (line) => line.method === 'job' && (line.params as { job_id: string }).job_id === jobId,
    );
    expect((await miner.submit(4)).result).toEqual({ status: 'OK' });
    expect(proxy.stats().shares).toMatchObject({ accepted: 4, invalid: 1 });
  });
});
