// Worker events carry the worker name and why it left; and secrets — the pool password and the
// miners' passwords — never reach an event, a log line, an error message or a line sent to
// another miner, whatever goes wrong.
import { createServer } from 'node:net';
import { createCapturingLogger, renderForSearch } from '@rigkit/testkit';
import { startCryptoNotePool, startStratumV1Pool } from '@rigkit/testkit/simulators';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StratumProxy } from '../proxy/stratum-proxy.js';
import { loginCnMiner } from '../testing/cryptonote-miner.js';
import { closedWithin, connectLineClient, type LineClient } from '../testing/line-client.js';
import { startTestProxy } from '../testing/proxy-harness.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

const POOL_SECRET = 'pool-S3cret-7f1c';
const MINER_SECRET = 'miner-S3cret-9a2e';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function client(port: number): Promise<LineClient> {
  const connected = await connectLineClient(port);
  cleanups.push(() => connected.destroy());
  return connected;
}

function expectNoSecret(what: string, text: string): void {
  for (const secret of [POOL_SECRET, MINER_SECRET]) {
    const at = text.indexOf(secret);
    expect(at, `${what} contains a secret: …${text.slice(Math.max(0, at - 300), at + 100)}`).toBe(
      -1,
    );
  }
}

describe('worker events', () => {
  it('connected/disconnected carry the worker name, address, connection id and reason', async () => {
    const pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 });
    cleanups.push(() => pool.close());
    const { proxy, port, events } = await startTestProxy({
      protocol: 'cryptonote',
      pools: [{ url: pool.url, user: 'farm', pass: POOL_SECRET }],
      limits: { maxLineBytes: 1024 },
    });
    cleanups.push(() => proxy.stop());
    await events.next('proxy.upstream.up');

    const leaving = await loginCnMiner(port, 'rig-leaves', { pass: MINER_SECRET });
    const garbling = await loginCnMiner(port, 'rig-garbles', { pass: MINER_SECRET });
    const oversized = await loginCnMiner(port, 'rig-oversized', { pass: MINER_SECRET });
    expect(events.of('proxy.worker.connected')).toEqual([
      { worker: 'rig-leaves', address: '127.0.0.1', connectionId: 1 },
      { worker: 'rig-garbles', address: '127.0.0.1', connectionId: 2 },
      { worker: 'rig-oversized', address: '127.0.0.1', connectionId: 3 },
    ]);

    leaving.client.destroy();
    await events.next('proxy.worker.disconnected', (event) => event.worker === 'rig-leaves');
    garbling.client.write('{"id":1,"method":\n');
    await closedWithin(garbling.client);
    oversized.client.write(`${'x'.repeat(2000)}\n`);
    await closedWithin(oversized.client);
    await events.next('proxy.worker.disconnected', (event) => event.worker === 'rig-oversized');

    expect(events.of('proxy.worker.disconnected')).toEqual([
      { worker: 'rig-leaves', address: '127.0.0.1', connectionId: 1, reason: 'closed' },
      { worker: 'rig-garbles', address: '127.0.0.1', connectionId: 2, reason: 'protocol' },
      {
        worker: 'rig-oversized',
        address: '127.0.0.1',
        connectionId: 3,
        reason: 'message-too-large',
      },
    ]);
    expect(proxy.stats().workers).toMatchObject({ known: 3, online: 0 });
  });
});

describe('secrets never leak', () => {
  it.each([
    ['cryptonote', 'aggregate'],
    ['cryptonote', 'passthrough'],
    ['stratum-v1', 'aggregate'],
    ['stratum-v1', 'passthrough'],
  ] as const)('%s %s: events, logs, errors and replies', async (protocol, mode) => {
    // The pool refuses the proxy's own login (its password), so the upstream fails and is
    // logged and retried; a second, healthy pool takes over.
    const bad =
      protocol === 'cryptonote'
        ? await startCryptoNotePool({ rejectPassword: POOL_SECRET, jobIntervalMs: 0 })
        : await startStratumV1Pool({ rejectPassword: POOL_SECRET, jobIntervalMs: 0 });
    const good =
      protocol === 'cryptonote'
        ? await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 })
        : await startStratumV1Pool({ verifyShares: false, jobIntervalMs: 0 });
    cleanups.push(
      () => bad.close(),
      () => good.close(),
    );
    const logger = createCapturingLogger();
    const { proxy, port, events } = await startTestProxy(
      {
        protocol,
        mode,
        pools: [
          { url: bad.url, user: 'farm', pass: POOL_SECRET },
          { url: good.url, user: 'farm', pass: POOL_SECRET },
        ],
        failover: { initialBackoffMs: 10, maxBackoffMs: 50, primaryRetryMs: 60_000 },
      },
      { logger },
    );
    cleanups.push(() => proxy.stop());

    const lines: string[] = [];
    const miner = await client(port);
    if (protocol === 'cryptonote') {
      const login = await miner.call({
        id: 1,
        jsonrpc: '2.0',
        method: 'login',
        params: { login: 'rig', pass: MINER_SECRET, agent: 'test' },
      });
      // Aggregate: answered once the upstream failed over; passthrough: the first pool's refusal.
      if (mode === 'aggregate') expect(login.error).toBeNull();
      // A secret where the session id belongs: the proxy's answer must not quote it.
      if (mode === 'aggregate') {
        await miner.call({ id: 2, jsonrpc: '2.0', method: 'submit', params: { id: MINER_SECRET } });
      }
      const again = await client(port);
      again.send({
        id: 4,
        jsonrpc: '2.0',
        method: 'login',
        params: { login: 'r', pass: `${MINER_SECRET}\u0000` },
      });
      // Aggregate refuses it and closes; passthrough relays the pool's answer.
      if (mode === 'aggregate') await closedWithin(again);
      else await again.next((line) => line.id === 4);
      lines.push(JSON.stringify(again.lines));
    } else {
      await miner.call({ id: 1, method: 'mining.subscribe', params: ['test'] });
      const authorized = await miner.call({
        id: 2,
        method: 'mining.authorize',
        params: ['rig', MINER_SECRET],
      });
      if (mode === 'aggregate') expect(authorized.result).toBe(true);
      if (mode === 'aggregate') {
        await miner.call({
          id: 3,
          method: 'mining.submit',
          params: ['rig', MINER_SECRET, '00', '00', '00'],
        });
        await miner.call({
          id: 5,
          method: 'mining.authorize',
          params: ['rig2', `${MINER_SECRET}\u0000`],
        });
      }
    }
    miner.send(`{"id":"${MINER_SECRET}",`);
    await closedWithin(miner);
    lines.push(JSON.stringify(miner.lines));

    // Invalid options and a port in use: error messages and their details.
    const errors: unknown[] = [];
    try {
      new StratumProxy({
        protocol,
        pools: [{ url: `stratum+tcp://farm:${POOL_SECRET}@${good.url}`, user: 'farm' }],
      });
    } catch (error) {
      errors.push(error);
    }
    try {
      new StratumProxy({
        protocol,
        pools: [{ url: good.url, user: 'farm', pass: `${POOL_SECRET}${'x'.repeat(300)}` }],
      });
    } catch (error) {
      errors.push(error);
    }
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => blocker.close(resolve)));
    const taken = (blocker.address() as { port: number }).port;
    const clash = new StratumProxy(
      {
        protocol,
        listen: { port: taken },
        pools: [{ url: good.url, user: 'farm', pass: POOL_SECRET }],
      },
      { logger },
    );
    await clash.start().catch((error: unknown) => errors.push(error));
    expect(errors).toHaveLength(3);

    await proxy.stop();
    // Aggregate: the proxy's login failed at the first pool and it moved on; passthrough:
    // the first pool refused the miner's login (with the proxy's credentials) itself.
    if (mode === 'aggregate')
      expect(events.of('proxy.upstream.failover').length).toBeGreaterThan(0);
    else expect(lines.join('\n')).toMatch(/error/);
    expect(logger.calls.length).toBeGreaterThan(0);
    expectNoSecret('events', JSON.stringify(events.events));
    expectNoSecret('logs', logger.text());
    for (const error of errors) expectNoSecret('error', renderForSearch(error));
    expectNoSecret('replies to miners', lines.join('\n'));
    expectNoSecret('stats', JSON.stringify(proxy.stats()) + JSON.stringify(proxy.workers()));
  });
});
