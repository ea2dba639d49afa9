// Stratum V1 end to end: simulated miners that find real SHA-256d shares → proxy → a pool that
// rebuilds every header and checks its hash. A wrong extranonce prefix, a lost version-rolling
// field or a stale extranonce after `mining.set_extranonce` would show up as low-difficulty
// rejects (code 23) at the pool; none may.
import {
  type StratumV1Miner,
  type StratumV1MinerOptions,
  type StratumV1Pool,
  startStratumV1Miner,
  startStratumV1Pool,
} from '@rigkit/testkit/simulators';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProxyOptionsInput } from '../options/proxy-options.js';
import { startTestProxy, type TestProxy } from '../testing/proxy-harness.js';

vi.setConfig({ testTimeout: 90_000, hookTimeout: 30_000 });

/** About 4096 hashes per share: a few dozen shares a second per miner at the rate below. */
const EASY = 2 ** -20;
const HASHES_PER_SECOND = 100_000;
const WAIT = { timeoutMs: 30_000 };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pool(
  options: Parameters<typeof startStratumV1Pool>[0] = {},
): Promise<StratumV1Pool> {
  const started = await startStratumV1Pool({ difficulty: EASY, jobIntervalMs: 1000, ...options });
  cleanups.push(() => started.close());
  return started;
}

async function proxy(options: Omit<ProxyOptionsInput, 'protocol'>): Promise<TestProxy> {
  const started = await startTestProxy({ protocol: 'stratum-v1', ...options });
  cleanups.push(() => started.proxy.stop());
  return started;
}

async function miner(
  port: number,
  worker: string,
  options: Partial<StratumV1MinerOptions> = {},
): Promise<StratumV1Miner> {
  const started = await startStratumV1Miner({
    host: '127.0.0.1',
    port,
    worker,
    password: 'miner-secret',
    hashesPerSecond: HASHES_PER_SECOND,
    ...options,
  });
  cleanups.push(() => started.close());
  return started;
}

const configurations = [
  { name: 'aggregate, 1-byte prefix', mode: 'aggregate', prefix: 1 },
  { name: 'aggregate, 2-byte prefix', mode: 'aggregate', prefix: 2 },
  { name: 'passthrough', mode: 'passthrough', prefix: 1 },
] as const;

describe.each(configurations)(
  'Stratum V1 $name: real shares through the proxy',
  ({ mode, prefix }) => {
    it('every share is accepted by a verifying pool, version rolling included', async () => {
      const upstream = await pool();
      const { proxy: p, port } = await proxy({
        mode,
        pools: [{ url: upstream.url, user: 'farm.account', pass: 'pool-secret' }],
        aggregate: { extranoncePrefixBytes: prefix },
      });
      const miners = [
        await miner(port, 'rig-a'),
        await miner(port, 'rig-b', { extranonceSubscribe: true }),
        await miner(port, 'rig-c', { versionRolling: true }),
      ];
      await Promise.all(miners.map((m) => m.waitForShares(8, WAIT)));

      // Version rolling was negotiated through the proxy and the rolled shares verified.
      expect(miners[2]?.stats().versionMask).toBeDefined();
      for (const m of miners) {
        expect(m.stats().rejected, JSON.stringify(m.stats())).toBe(0);
        expect(m.stats().accepted).toBeGreaterThanOrEqual(8);
      }
      const poolStats = upstream.stats();
      expect(poolStats.rejectedByCode).toEqual({});
      expect(poolStats.rejected).toBe(0);
      const stats = p.stats();
      expect(stats.shares.rejected + stats.shares.invalid + stats.shares.stale).toBe(0);
      expect(stats.upstreams.total).toBe(mode === 'aggregate' ? 1 : 3);
      expect(poolStats.connections).toBe(mode === 'aggregate' ? 1 : 3);
      expect(stats.workers.online).toBe(3);
      if (mode === 'aggregate') {
        // Every miner got its own extranonce1 = pool extranonce1 + a prefix of `prefix` bytes.
        const extranonces = miners.map((m) => m.stats().extranonce1 as string);
        expect(new Set(extranonces).size).toBe(3);
        const [first] = extranonces as [string];
        const shared = first.slice(0, first.length - prefix * 2);
        for (const extranonce of extranonces) {
          expect(extranonce).toHaveLength(shared.length + prefix * 2);
          expect(extranonce.startsWith(shared)).toBe(true);
        }
      }
    });

    it('a pool set_extranonce reaches subscribed miners; the others reconnect; no share is lost', async () => {
      const upstream = await pool();
      const { port } = await proxy({
        mode,
        pools: [{ url: upstream.url, user: 'farm.account', pass: 'pool-secret' }],
        aggregate: { extranoncePrefixBytes: prefix },
      });
      const subscribed = await miner(port, 'rig-sub', { extranonceSubscribe: true });
      const plain = await miner(port, 'rig-plain', { reconnectDelayMs: 50 });
      await Promise.all([subscribed.waitForShares(3, WAIT), plain.waitForShares(3, WAIT)]);
      const before = subscribed.stats().extranonce1;

      const told = subscribed.waitFor('extranonce', WAIT);
      // In aggregate mode the proxy cannot tell the plain miner: it asks it to reconnect.
      const back = mode === 'aggregate' ? plain.waitFor('authorized', WAIT) : undefined;
      expect(upstream.setExtranonce()).toBeGreaterThanOrEqual(1);
      const extranonce = await told;
      expect(extranonce.extranonce1).not.toBe(before);
      if (back) {
        await back;
        expect(plain.stats().redirects, JSON.stringify(plain.stats())).toBe(1);
      } else {
        expect(plain.stats().redirects, JSON.stringify(plain.stats())).toBe(0);
      }
      await Promise.all([subscribed.waitForShares(5, WAIT), plain.waitForShares(5, WAIT)]);
      const report = JSON.stringify({
        pool: upstream.stats(),
        miners: [subscribed.stats(), plain.stats()],
      });
      expect(upstream.stats().rejectedByCode, report).toEqual({});
      for (const m of [subscribed, plain]) expect(m.stats().rejected, report).toBe(0);
    });
  },
);
