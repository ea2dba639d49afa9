import type { HashrateTriple } from './format-hashrate.js';
import { normalizeHashrate } from './format-hashrate.js';
import { type JsonValue, jsonDouble } from './json-text.js';
import type { MinerSnapshot } from './miner-snapshot.js';
import { XMRIG_BUILD_INFO } from './xmrig-build-info.js';

/** A window triple for the API: floored to 2 decimals, written as doubles, `null` kept. */
export function hashrateJson(triple: HashrateTriple): JsonValue {
  return triple.map((value) => (value === null ? null : jsonDouble(normalizeHashrate(value))));
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * `GET /2/summary` (version 2) or `GET /1/summary` (version 1) with the fixtures' keys in the
 * fixtures' order. Version 1 differs as xmrig's does: `error_log` lists in `results` and
 * `connection`, per-thread `hashrate.threads`, and a boolean `hugepages`.
 *
 * Before the CPU backend runs (no job yet), hashrate totals are `[0.0, 0.0, 0.0]` with
 * `highest: null` and `hugepages: [0, 0]`, as in `2_summary_no_pool.json`.
 */
export function buildSummary(snapshot: MinerSnapshot, version: 1 | 2): JsonValue {
  const v1 = version === 1;
  const { backend, network, resources, nowMs } = snapshot;
  const zero = jsonDouble(0);
  const hugePages = backend?.hugePages ?? [0, 0];
  const hashrate: Record<string, JsonValue> = backend
    ? {
        total: hashrateJson(backend.reading.total),
        highest: backend.highest > 0 ? jsonDouble(normalizeHashrate(backend.highest)) : null,
      }
    : { total: [zero, zero, zero], highest: null };
  if (v1) hashrate.threads = backend ? backend.reading.threads.map(hashrateJson) : [];

  return {
    id: snapshot.id,
    worker_id: snapshot.workerId,
    uptime: snapshot.uptimeS,
    restricted: snapshot.restricted,
    resources: {
      memory: {
        free: resources.free,
        total: resources.total,
        resident_set_memory: resources.rss,
      },
      load_average: resources.loadAverage.map((value) => jsonDouble(round2(value))),
      hardware_concurrency: XMRIG_BUILD_INFO.cpu.threads,
    },
    features: [...XMRIG_BUILD_INFO.features],
    results: network.resultsJson(nowMs, v1),
    algo: snapshot.algo,
    connection: network.connectionJson(nowMs, v1),
    version: XMRIG_BUILD_INFO.version,
    kind: 'miner',
    ua: XMRIG_BUILD_INFO.userAgent,
    cpu: { ...XMRIG_BUILD_INFO.cpu, flags: [...XMRIG_BUILD_INFO.cpu.flags] },
    donate_level: snapshot.donateLevel,
    paused: snapshot.paused,
    algorithms: [...XMRIG_BUILD_INFO.algorithms],
    hashrate,
    hugepages: v1 ? hugePages[0] > 0 && hugePages[0] === hugePages[1] : [...hugePages],
  };
}
