// The whole proxy releases everything it made: start → miners connect and mine → stop() →
// the process's active resources (sockets, servers, timers) are back at the baseline. Then the
// same through the adapter under a real core Manager, with the proxy's events on its bus.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManager, getFreePort, type RigkitEvents } from '@rigkit/core';
import { expectNoLeaks, sampleProblems, waitForEvent } from '@rigkit/testkit';
import {
  startCryptoNotePool,
  startStratumV1Miner,
  startStratumV1Pool,
} from '@rigkit/testkit/simulators';
import { describe, expect, it, vi } from 'vitest';
import { stratumProxyAdapter } from '../adapter/create-stratum-proxy-adapter.js';
import { loginCnMiner } from '../testing/cryptonote-miner.js';
import { WAIT_MS } from '../testing/line-client.js';
import { startTestProxy } from '../testing/proxy-harness.js';
import { trackHandles } from '../testing/track-handles.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 30_000 });

const LEAKS = { settleMs: 5000 };

describe.each([
  ['cryptonote', 'aggregate'],
  ['cryptonote', 'passthrough'],
  ['stratum-v1', 'aggregate'],
  ['stratum-v1', 'passthrough'],
] as const)('stratum proxy %s %s: no leaks', (protocol, mode) => {
  it('start → miners mine → stop() leaves no socket, server or timer behind', async () => {
    const handles = trackHandles();
    await expectNoLeaks(async () => {
      const pool =
        protocol === 'cryptonote'
          ? await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 200 })
          : await startStratumV1Pool({ difficulty: 2 ** -20, jobIntervalMs: 200 });
      const { proxy, port, events } = await startTestProxy({
        protocol,
        mode,
        pools: [{ url: pool.url, user: 'farm', pass: 'pool-secret' }],
      });
      const closers: Array<() => void> = [];
      if (protocol === 'cryptonote') {
        for (const name of ['a', 'b', 'c']) {
          const miner = await loginCnMiner(port, name);
          closers.push(() => miner.client.destroy());
          expect((await miner.submit(1)).result).toEqual({ status: 'OK' });
        }
      } else {
        const miners = await Promise.all(
          ['a', 'b', 'c'].map((worker) =>
            startStratumV1Miner({
              host: '127.0.0.1',
              port,
              worker,
              hashesPerSecond: 50_000,
              reconnectDelayMs: false,
            }),
          ),
        );
        for (const miner of miners) closers.push(() => miner.close());
        await Promise.all(miners.map((miner) => miner.waitForShares(2, { timeoutMs: WAIT_MS })));
      }
      expect(proxy.stats().miners.now).toBe(3);
      expect(proxy.healthy).toBe(true);

      await proxy.stop();
      // Every miner was let go, with the reason.
      expect(events.of('proxy.worker.disconnected').map((event) => event.reason)).toEqual([
        'shutdown',
        'shutdown',
        'shutdown',
      ]);
      expect(proxy.stats().miners.now).toBe(0);
      expect(proxy.healthy).toBe(false);
      await proxy.stop(); // idempotent
      for (const close of closers) close();
      await pool.close();
    }, LEAKS);
    // By identity too: every timer and socket made during the run is closed.
    handles.stop();
    expect(handles.live()).toEqual([]);
  });
});

describe('stratum proxy adapter under a core Manager', () => {
  it('create → start → miners connect (events on the bus) → sample → stop → close: no leaks', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rigkit-proxy-manager-'));
    const handles = trackHandles();
    try {
      await expectNoLeaks(async () => {
        const pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 200 });
        const port = await getFreePort();
        const manager = createManager({
          adapters: [stratumProxyAdapter],
          dataDir,
          sampleIntervalMs: 0,
          monitor: false,
        });
        const seen: RigkitEvents['proxy.worker.connected'][] = [];
        const off = manager.events.on('proxy.worker.connected', (event) => seen.push(event));
        const proxy = await manager.create({
          kind: 'stratum-proxy',
          name: 'proxy',
          options: {
            protocol: 'cryptonote',
            listen: { port },
            pools: [{ url: pool.url, user: 'farm', pass: 'pool-secret' }],
          },
          supervision: { probeIntervalMs: 100, warmupMs: 0 },
        });
        const up = waitForEvent(manager.events, 'proxy.upstream.up', () => true, WAIT_MS);
        await proxy.start();
        expect(proxy.state).toBe('running');
        expect((await up).minerId).toBe(proxy.id);

        const connected = waitForEvent(
          manager.events,
          'proxy.worker.connected',
          () => seen.length === 2,
          WAIT_MS,
        );
        const miners = [await loginCnMiner(port, 'rig-1'), await loginCnMiner(port, 'rig-2')];
        await connected;
        expect(seen.map((event) => [event.minerId, event.worker]).sort()).toEqual([
          [proxy.id, 'rig-1'],
          [proxy.id, 'rig-2'],
        ]);
        for (const miner of miners)
          expect((await miner.submit(1)).result).toEqual({ status: 'OK' });

        const sample = await proxy.sample({ timeoutMs: WAIT_MS });
        expect(sampleProblems(sample)).toEqual([]);
        expect(sample.shares).toMatchObject({ accepted: 2, rejected: 0 });
        expect(sample.hashrate).toBeGreaterThan(0);

        const gone = waitForEvent(
          manager.events,
          'proxy.worker.disconnected',
          (event) => event.reason === 'shutdown',
          WAIT_MS,
        );
        await proxy.stop();
        expect((await gone).minerId).toBe(proxy.id);
        await Promise.all(miners.map((miner) => miner.client.closed));
        off();
        await manager.close();
        await pool.close();
      }, LEAKS);
      expect(handles.live()).toEqual([]);
    } finally {
      handles.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
