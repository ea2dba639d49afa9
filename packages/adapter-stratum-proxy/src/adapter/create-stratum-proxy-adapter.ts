import { type Adapter, defineAdapter, type HealthReport, type Sample } from '@rigkit/core';
import type { ProxyOptions } from '../options/proxy-options.js';
import { proxyOptionsSchema } from '../options/proxy-options.js';
import { StratumProxy } from '../proxy/stratum-proxy.js';
import { ADAPTER_VERSION } from '../version.js';

/** Per-run state: the proxy of the current run. */
export interface StratumProxySession {
  proxy?: StratumProxy;
}

/** The stratum proxy adapter's type. */
export type StratumProxyAdapter = Adapter<ProxyOptions, StratumProxySession>;

/**
 * The stratum proxy as a Rigkit miner: an in-process runner the manager starts, probes,
 * samples and restarts like any miner. Health = listening and at least one pool connection
 * logged in; the sample's hashrate is estimated from accepted share difficulty.
 *
 * ```ts
 * const manager = createManager({ adapters: [stratumProxyAdapter] });
 * await manager.create({ kind: 'stratum-proxy', name: 'proxy', options: {
 *   protocol: 'cryptonote', listen: { port: 3333 },
 *   pools: [{ url: 'pool.example.org:3333', user: 'WALLET' }],
 * } }).start();
 * ```
 */
export function createStratumProxyAdapter(): StratumProxyAdapter {
  return defineAdapter<ProxyOptions, StratumProxySession>({
    apiVersion: 1,
    kind: 'stratum-proxy',
    meta: Object.freeze({
      name: '@rigkit/adapter-stratum-proxy',
      version: ADAPTER_VERSION,
      core: '^0.1.0',
    }),
    options: proxyOptionsSchema,
    // A proxy with no miners has no hashrate and nothing wrong with it: no stall restarts.
    supervision: Object.freeze({ stallTimeoutMs: 0, warmupMs: 10_000 }),

    runner(options, ctx) {
      const proxy = new StratumProxy(options, {
        logger: ctx.logger,
        emit: (type, payload) => ctx.emit(type, payload),
      });
      ctx.session.proxy = proxy;
      return {
        start: (signal) => proxy.start(signal),
        stop: () => proxy.stop(),
      };
    },

    async probe(_options, ctx): Promise<HealthReport> {
      const proxy = ctx.session.proxy;
      if (!proxy?.port) return { healthy: false, ready: false, message: 'not listening' };
      const stats = proxy.stats();
      const healthy = proxy.healthy;
      return {
        healthy,
        ready: true,
        ...(estimatedHashrate(stats) === undefined ? {} : { hashrate: estimatedHashrate(stats) }),
        ...(healthy ? {} : { message: 'no pool connection is logged in' }),
      };
    },

    async stats(_options, ctx): Promise<Sample> {
      const proxy = ctx.session.proxy;
      const time = Date.now();
      if (!proxy) return { time, hashrate: undefined };
      const stats = proxy.stats();
      return {
        time,
        hashrate: estimatedHashrate(stats),
        hashrate60s: stats.hashrate['1m'],
        shares: {
          accepted: stats.shares.accepted,
          rejected: stats.shares.rejected,
          stale: stats.shares.stale,
          invalid: stats.shares.invalid,
        },
        ...(stats.pool ? { pool: stats.pool } : {}),
        ...(stats.startedAt === undefined
          ? {}
          : { uptimeSeconds: Math.floor((time - stats.startedAt) / 1000) }),
      };
    },
  });
}

/** The hashrate of the proxy's miners, or `undefined` while none is connected (unknown, not 0). */
function estimatedHashrate(stats: ReturnType<StratumProxy['stats']>): number | undefined {
  return stats.miners.now === 0 ? undefined : stats.hashrate['1m'];
}

/** The stratum proxy adapter. */
export const stratumProxyAdapter: StratumProxyAdapter = createStratumProxyAdapter();
