import {
  type Adapter,
  type DeviceRow,
  defineAdapter,
  type HealthReport,
  type Sample,
} from '@rigkit/core';
import type { ProxyOptions } from '../options/proxy-options.js';
import { proxyOptionsSchema } from '../options/proxy-options.js';
import { type ProxyStats, StratumProxy } from '../proxy/stratum-proxy.js';
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
      const healthy = proxy.healthy;
      const hashrate = estimatedHashrate(proxy.stats());
      return {
        healthy,
        ready: true,
        ...(hashrate === undefined ? {} : { hashrate }),
        ...(healthy ? {} : { message: 'no pool connection is logged in' }),
      };
    },

    async stats(options, ctx): Promise<Sample> {
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
        metrics: proxyMetrics(stats),
        ...(options.metrics.workerLabels ? { devices: workerRows(proxy) } : {}),
        ...(stats.startedAt === undefined
          ? {}
          : { uptimeSeconds: Math.floor((time - stats.startedAt) / 1000) }),
      };
    },
  });
}

/** The hashrate of the proxy's miners, or `undefined` while none is connected (unknown, not 0). */
function estimatedHashrate(stats: ProxyStats): number | undefined {
  return stats.miners.now === 0 ? undefined : stats.hashrate['1m'];
}

/** Workers shown as per-miner rows when `metrics.workerLabels` is on (bounded). */
const MAX_WORKER_ROWS = 100;

function workerRows(proxy: StratumProxy): DeviceRow[] {
  return proxy.workers({ limit: MAX_WORKER_ROWS }).map((worker) => ({
    id: worker.name,
    name: worker.name,
    hashrate: worker.hashrate1m,
  }));
}

/** The proxy's totals under fixed names, for the server's metrics. */
function proxyMetrics(stats: ProxyStats): Record<string, number> {
  return {
    proxy_miners: stats.miners.now,
    proxy_miners_max: stats.miners.max,
    proxy_refused_global: stats.miners.refused.global,
    proxy_refused_per_ip: stats.miners.refused.perIp,
    proxy_upstreams_active: stats.upstreams.active,
    proxy_upstreams: stats.upstreams.total,
    proxy_shares_accepted: stats.shares.accepted,
    proxy_shares_rejected: stats.shares.rejected,
    proxy_shares_invalid: stats.shares.invalid,
    proxy_shares_stale: stats.shares.stale,
    proxy_workers: stats.workers.known,
    proxy_workers_online: stats.workers.online,
    proxy_bytes_in: stats.bytes.downstreamIn + stats.bytes.upstreamIn,
    proxy_bytes_out: stats.bytes.downstreamOut + stats.bytes.upstreamOut,
    proxy_hashrate_10m: stats.hashrate['10m'],
    proxy_hashrate_1h: stats.hashrate['1h'],
    proxy_on_primary: stats.onPrimary ? 1 : 0,
  };
}

/** The stratum proxy adapter. */
export const stratumProxyAdapter: StratumProxyAdapter = createStratumProxyAdapter();
