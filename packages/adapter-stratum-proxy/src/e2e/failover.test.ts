// Failover and return to the primary, for both protocols: two pool simulators, the primary
// goes down, the proxy's upstream moves to the backup while its miners stay connected and keep
// having shares accepted there; the primary comes back, and after `primaryRetryMs` the proxy
// probes it and moves back.
import {
  startCryptoNotePool,
  startStratumV1Miner,
  startStratumV1Pool,
} from '@rigkit/testkit/simulators';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loginCnMiner } from '../testing/cryptonote-miner.js';
import { connectLineClient, type Line } from '../testing/line-client.js';
import { startTestProxy } from '../testing/proxy-harness.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 30_000 });

const WAIT = { timeoutMs: 30_000 };
const FAILOVER = {
  connectTimeoutMs: 2000,
  initialBackoffMs: 50,
  maxBackoffMs: 200,
  primaryRetryMs: 300,
};

/** How events name a pool. */
const shown = (pool: { url: string }) => `stratum+tcp://${pool.url}`;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A primary and a backup pool, closed after the test. */
async function twoPools<P extends { url: string; close(): Promise<void> }>(
  start: () => Promise<P>,
): Promise<[P, P]> {
  const primary = await start();
  cleanups.push(() => primary.close());
  const backup = await start();
  cleanups.push(() => backup.close());
  return [primary, backup];
}

/** The proxy's `pools` option for them, in failover order. */
function failoverList(pools: { url: string }[], user: string) {
  return pools.map((pool) => ({ url: pool.url, user, pass: 'pool-secret' }));
}

function sequence(events: { type: string; payload: Record<string, unknown> }[]): string[] {
  return events
    .filter((event) => event.type.startsWith('proxy.upstream.'))
    .map((event) => {
      const { payload } = event;
      if (event.type === 'proxy.upstream.failover') {
        return `failover ${String(payload.from)} → ${String(payload.to)} (${String(payload.reason)})`;
      }
      return `${event.type.slice('proxy.upstream.'.length)} ${String(payload.pool)}`;
    });
}

describe('failover: CryptoNote aggregate', () => {
  it('moves to the backup on an outage, miners keep mining, and returns to the primary', async () => {
    const [primary, backup] = await twoPools(() =>
      startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 }),
    );
    const { proxy, port, events } = await startTestProxy({
      protocol: 'cryptonote',
      mode: 'aggregate',
      pools: failoverList([primary, backup], 'wallet'),
      failover: FAILOVER,
    });
    cleanups.push(() => proxy.stop());
    await events.next('proxy.upstream.up');
    const miners = [await loginCnMiner(port, 'rig-1'), await loginCnMiner(port, 'rig-2')];
    for (const miner of miners) cleanups.push(() => miner.client.destroy());
    let n = 0;
    for (const miner of miners) expect((await miner.submit(++n)).result).toEqual({ status: 'OK' });
    expect(primary.stats().accepted).toBe(2);

    // Each miner gets the backup's job once the upstream is logged in there.
    const jobFrom = (miner: (typeof miners)[number], from: number) =>
      miner.client.next(
        (line: Line) => line.method === 'job' && miner.client.lines.indexOf(line) >= from,
        WAIT.timeoutMs,
      );
    const marks = miners.map((miner) => miner.client.lines.length);
    const primaryJob = miners[0]?.job().job_id as string;
    await primary.outage();
    const failover = await events.next('proxy.upstream.failover');
    expect(failover).toMatchObject({ from: shown(primary), to: shown(backup), reason: 'failure' });
    await events.next('proxy.upstream.up', (event) => event.pool === shown(backup));
    await Promise.all(miners.map((miner, i) => jobFrom(miner, marks[i] as number)));
    expect(proxy.stats().onPrimary).toBe(false);
    for (const miner of miners) expect((await miner.submit(++n)).result).toEqual({ status: 'OK' });
    expect(backup.stats().accepted).toBe(2);
    expect(proxy.stats().miners.now).toBe(2); // nobody was disconnected
    // A share for the lost pool's job is stale: answered by the proxy, never sent to the backup.
    const late = await miners[0]?.submit(++n, { jobId: primaryJob });
    expect(late?.error).toMatchObject({ message: 'Block expired' });
    expect(backup.stats().rejected).toBe(0);
    expect(proxy.stats().shares.stale).toBe(1);

    const backMarks = miners.map((miner) => miner.client.lines.length);
    await primary.recover();
    const back = await events.next(
      'proxy.upstream.failover',
      (event) => event.reason === 'primary',
    );
    expect(back).toMatchObject({ from: shown(backup), to: shown(primary) });
    await events.next('proxy.upstream.up', (event) => event.pool === shown(primary), { from: 1 });
    await Promise.all(miners.map((miner, i) => jobFrom(miner, backMarks[i] as number)));
    expect(proxy.stats().onPrimary).toBe(true);
    for (const miner of miners) expect((await miner.submit(++n)).result).toEqual({ status: 'OK' });
    expect(primary.stats().accepted).toBe(4);

    const [a, b] = [shown(primary), shown(backup)];
    expect(sequence(events.events)).toEqual([
      `up ${a}`,
      `down ${a}`,
      `failover ${a} → ${b} (failure)`,
      `up ${b}`,
      `failover ${b} → ${a} (primary)`,
      `down ${b}`,
      `up ${a}`,
    ]);
    expect(proxy.stats().shares).toMatchObject({ accepted: 6, rejected: 0, invalid: 0, stale: 1 });
  });
});

describe('failover: Stratum V1 aggregate with real shares', () => {
  it('miners keep having real shares accepted at the backup and back at the primary', async () => {
    const [primary, backup] = await twoPools(() =>
      startStratumV1Pool({ difficulty: 2 ** -20, jobIntervalMs: 1000 }),
    );
    // Both simulators number their jobs 1, 2, 3…, so the backup reuses the primary's job ids:
    // only the proxy's per-connection job tag keeps a share made for the primary's job "2"
    // (with the primary's extranonce) from reaching the backup's job "2".
    const { proxy, port, events } = await startTestProxy({
      protocol: 'stratum-v1',
      mode: 'aggregate',
      pools: failoverList([primary, backup], 'farm.account'),
      failover: FAILOVER,
    });
    cleanups.push(() => proxy.stop());
    const miners = await Promise.all(
      [true, false].map(async (extranonceSubscribe, i) => {
        const miner = await startStratumV1Miner({
          host: '127.0.0.1',
          port,
          worker: `rig-${i}`,
          hashesPerSecond: 100_000,
          extranonceSubscribe,
          reconnectDelayMs: 50,
        });
        cleanups.push(() => miner.close());
        return miner;
      }),
    );
    await Promise.all(miners.map((miner) => miner.waitForShares(3, WAIT)));

    await primary.outage();
    await events.next('proxy.upstream.failover', (event) => event.reason === 'failure');
    await events.next('proxy.upstream.up', (event) => event.pool === shown(backup));
    await Promise.all(miners.map((miner) => miner.waitForShares(3, WAIT)));
    expect(backup.stats().accepted).toBeGreaterThanOrEqual(6);

    await primary.recover();
    await events.next('proxy.upstream.failover', (event) => event.reason === 'primary');
    await events.next('proxy.upstream.up', (event) => event.pool === shown(primary), { from: 1 });
    const atPrimary = primary.stats().accepted;
    await Promise.all(miners.map((miner) => miner.waitForShares(3, WAIT)));
    expect(primary.stats().accepted).toBeGreaterThanOrEqual(atPrimary + 6);

    // A new extranonce each time: no share made with the old one reached a pool. Shares found
    // for the lost connection's jobs were answered as stale by the proxy itself.
    for (const pool of [primary, backup]) expect(pool.stats().rejectedByCode).toEqual({});
    expect(proxy.stats().onPrimary).toBe(true);
  });
});

describe('failover: Stratum V1 job ids of an earlier pool connection', () => {
  it('answers a share for the old connection’s job as stale even when the new pool reuses the id', async () => {
    // Difficulty 1: a made-up share cannot pass by luck, so a forwarded one is rejected.
    const [primary, backup] = await twoPools(() =>
      startStratumV1Pool({ difficulty: 1, jobIntervalMs: 0 }),
    );
    const { proxy, port, events } = await startTestProxy({
      protocol: 'stratum-v1',
      mode: 'aggregate',
      pools: failoverList([primary, backup], 'farm.account'),
      failover: { ...FAILOVER, primaryRetryMs: 60_000 },
    });
    cleanups.push(() => proxy.stop());
    const client = await connectLineClient(port);
    cleanups.push(() => client.destroy());
    const subscribed = await client.call({ id: 1, method: 'mining.subscribe', params: [] });
    const extranonce2Size = (subscribed.result as unknown[])[2] as number;
    // Told the new extranonce instead of being asked to reconnect.
    await client.call({ id: 4, method: 'mining.extranonce.subscribe', params: [] });
    const isNotify = (line: Line) => line.method === 'mining.notify';
    const firstJob = client.next(isNotify);
    await client.call({ id: 2, method: 'mining.authorize', params: ['rig-1', 'x'] });
    const oldJob = (await firstJob).params as string[];

    const moved = events.next('proxy.upstream.up', (event) => event.pool === shown(backup));
    const seen = client.lines.length;
    await primary.outage();
    await moved;
    const newJob = (
      await client.next((line) => isNotify(line) && client.lines.indexOf(line) >= seen)
    ).params as string[];
    // The same job id at both pools, told apart only by the proxy's tag.
    const poolId = (id: string) => id.slice(id.indexOf('.') + 1);
    expect(poolId(newJob[0] as string)).toBe(poolId(oldJob[0] as string));
    expect(newJob[0]).not.toBe(oldJob[0]);

    const reply = await client.call({
      id: 3,
      method: 'mining.submit',
      params: ['rig-1', oldJob[0], '00'.repeat(extranonce2Size), oldJob[7], '00000000'],
    });
    expect(reply.error).toEqual([21, 'Job not found', null]);
    expect(backup.stats().accepted + backup.stats().rejected).toBe(0);
  });
});
