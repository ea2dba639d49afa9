import type { DeviceRow, Manager, RestartReason, Sample } from '@rigkit/core';
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

const RESTART_REASONS: readonly RestartReason[] = [
  'exit',
  'spawn-failed',
  'start-timeout',
  'probe-timeout',
  'unhealthy',
  'stall',
  'drop',
  'overheat',
  'manual',
];

/** Most device series one miner contributes to each device gauge. */
export const MAX_DEVICE_SERIES = 256;
/** Most `rigkit_miner_adapter_metric` series one miner contributes. */
export const MAX_ADAPTER_METRICS = 64;
/** What an adapter metric name must look like to become a label value (snake_case). */
const METRIC_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** What the metrics read when Prometheus scrapes. */
export interface MetricsSources {
  manager: Manager;
  wsClients: () => number;
  droppedSamples: () => number;
}

/**
 * A private Prometheus registry (never the global one, so two servers in one process — tests —
 * do not collide). Label values are miner ids of configured miners, a fixed set of
 * reasons/results, device ids and adapter metric names (both capped per miner), so cardinality
 * is bounded by the number of miners; a removed miner's series are deleted.
 */
export function createMetrics(sources: MetricsSources): {
  registry: Registry;
  dispose: () => void;
} {
  const { manager } = sources;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'rigkit_process_' });

  new Gauge({
    name: 'rigkit_miner_hashrate_hashes_per_second',
    help: 'Current hashrate of a miner (last sample), H/s.',
    labelNames: ['miner', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const miner of manager.list()) {
        const h = miner.lastSample?.hashrate;
        if (miner.state === 'running' && typeof h === 'number')
          this.set({ miner: miner.id, kind: miner.kind }, h);
      }
    },
  });
  new Gauge({
    name: 'rigkit_miner_up',
    help: '1 when the miner is running, 0 otherwise.',
    labelNames: ['miner', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const miner of manager.list()) {
        this.set({ miner: miner.id, kind: miner.kind }, miner.state === 'running' ? 1 : 0);
      }
    },
  });
  // Device rows come from each miner's last sample: at most one series per configured device
  // (a stratum proxy with `metrics.workerLabels` sends its most active workers as rows), and
  // never more than MAX_DEVICE_SERIES per miner whatever an adapter sends.
  const deviceGauge = (name: string, help: string, read: (d: DeviceRow) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['miner', 'device'],
      registers: [registry],
      collect() {
        this.reset();
        for (const miner of manager.list()) {
          if (miner.state !== 'running') continue;
          for (const device of (miner.lastSample?.devices ?? []).slice(0, MAX_DEVICE_SERIES)) {
            const value = read(device);
            if (typeof value === 'number') this.set({ miner: miner.id, device: device.id }, value);
          }
        }
      },
    });
  deviceGauge(
    'rigkit_device_temperature_celsius',
    'Device temperature from the last sample, °C.',
    (d) => d.temperatureC,
  );
  deviceGauge(
    'rigkit_device_hashrate_hashes_per_second',
    'Device hashrate from the last sample, H/s.',
    (d) => d.hashrate,
  );
  // Adapter readings (`Sample.metrics`, e.g. the stratum proxy's `proxy_miners`) share one
  // family; the `name` label is a fixed set per adapter, checked and capped here as well.
  new Gauge({
    name: 'rigkit_miner_adapter_metric',
    help: 'Adapter-specific readings of a running miner from its last sample (e.g. proxy_miners, proxy_upstreams_active).',
    labelNames: ['miner', 'name'],
    registers: [registry],
    collect() {
      this.reset();
      for (const miner of manager.list()) {
        if (miner.state !== 'running') continue;
        let count = 0;
        for (const [name, value] of Object.entries(miner.lastSample?.metrics ?? {})) {
          if (count >= MAX_ADAPTER_METRICS) break;
          if (!METRIC_NAME.test(name) || !Number.isFinite(value)) continue;
          this.set({ miner: miner.id, name }, value);
          count += 1;
        }
      }
    },
  });
  new Gauge({
    name: 'rigkit_ws_clients',
    help: 'Connected WebSocket event clients.',
    registers: [registry],
    collect() {
      this.set(sources.wsClients());
    },
  });
  new Gauge({
    name: 'rigkit_storage_dropped_samples_total',
    help: 'Samples the storage writer dropped because its queue was full.',
    registers: [registry],
    collect() {
      this.set(sources.droppedSamples());
    },
  });
  const restarts = new Counter({
    name: 'rigkit_miner_restarts_total',
    help: 'Restarts by reason.',
    labelNames: ['miner', 'reason'],
    registers: [registry],
  });
  const shares = new Counter({
    name: 'rigkit_miner_shares_total',
    help: 'Shares by result, accumulated across miner restarts.',
    labelNames: ['miner', 'result'],
    registers: [registry],
  });

  // Miners report cumulative counters that reset when their process restarts.
  const lastShares = new Map<string, { accepted: number; rejected: number }>();
  const countShares = (minerId: string, sample: Sample) => {
    if (!sample.shares) return;
    const previous = lastShares.get(minerId) ?? { accepted: 0, rejected: 0 };
    for (const result of ['accepted', 'rejected'] as const) {
      const now = sample.shares[result];
      const delta = now >= previous[result] ? now - previous[result] : now;
      if (delta > 0) shares.inc({ miner: minerId, result }, delta);
    }
    lastShares.set(minerId, { accepted: sample.shares.accepted, rejected: sample.shares.rejected });
  };

  const offs = [
    manager.events.on('miner.restart', (e) =>
      restarts.inc({ miner: e.minerId, reason: e.reason as RestartReason }),
    ),
    manager.events.on('miner.sample', (e) => countShares(e.minerId, e.sample)),
    manager.events.on('miner.session', (e) => {
      if (e.phase === 'start') lastShares.delete(e.minerId);
    }),
    manager.events.on('miner.removed', (e) => {
      lastShares.delete(e.minerId);
      for (const reason of RESTART_REASONS) restarts.remove({ miner: e.minerId, reason });
      for (const result of ['accepted', 'rejected']) shares.remove({ miner: e.minerId, result });
    }),
  ];

  return {
    registry,
    dispose() {
      for (const off of offs) off();
      registry.clear();
    },
  };
}
