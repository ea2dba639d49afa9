import {
  startCryptoNotePool,
  startXmrigSimulator,
  xmrigSimulatorArgs,
} from '@rigkit/testkit/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { StratumProxy } from '../proxy/stratum-proxy.js';
import { until } from '../testing/proxy-harness.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(['aggregate', 'passthrough'] as const)(
  'CryptoNote %s: xmrig simulators → proxy → pool',
  (mode) => {
    it('forwards real logins, jobs and shares, and the pool sees distinct nonces', async () => {
      const pool = await startCryptoNotePool({ difficulty: 5000, jobIntervalMs: 500 });
      cleanups.push(() => pool.close());
      const proxy = new StratumProxy({
        protocol: 'cryptonote',
        mode,
        pools: [{ url: pool.url, user: 'wallet-of-the-farm', pass: 'proxy-secret' }],
      });
      await proxy.start();
      cleanups.push(() => proxy.stop());

      for (const seed of [1, 2, 3]) {
        const sim = await startXmrigSimulator(
          xmrigSimulatorArgs({
            pools: [
              {
                url: `127.0.0.1:${proxy.port}`,
                user: `rig-${seed}`,
                pass: 'x',
                rigId: `rig-${seed}`,
              },
            ],
            seed,
            hashrate: 1000,
            timeScale: 20,
          }),
        );
        cleanups.push(() => sim.stop());
      }

      await until(() => proxy.stats().shares.accepted >= 15);
      const stats = proxy.stats();
      expect(stats.miners.now).toBe(3);
      expect(stats.upstreams.active).toBe(mode === 'aggregate' ? 1 : 3);
      expect(pool.stats().rejected).toBe(0);
      expect(pool.stats().accepted).toBeGreaterThanOrEqual(15);
      expect(stats.workers.online).toBe(3);
      expect(
        proxy
          .workers()
          .map((worker) => worker.name)
          .sort(),
      ).toEqual(['rig-1', 'rig-2', 'rig-3']);
      expect(stats.hashrate['1m']).toBeGreaterThan(0);
    });
  },
);
