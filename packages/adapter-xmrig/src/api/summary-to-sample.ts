import type { DeviceRow, Sample, ShareCounts } from '@rigkit/core';
import { firstRate } from './backends-to-devices.js';
import { parseDifficulty } from './difficulty.js';
import { FieldReader } from './field-reader.js';

/** Options of {@link summaryToSample}. */
export interface SummaryToSampleOptions {
  /** The reading's time, ms since the epoch. Default `Date.now()`. */
  now?: number;
  /** Collects warnings; pass one to merge them with another answer's (e.g. `/2/backends`). */
  reader?: FieldReader;
}

/**
 * Maps xmrig's `GET /2/summary` (or the older `/1/summary`) to a core {@link Sample}, in H/s.
 *
 * Never throws: nulls and missing fields leave the field out, surprising values are left out
 * and named in `warnings`. Traps it avoids:
 * - `results.diff_current` is UINT64_MAX before the first job (and 0 without a pool): no
 *   difficulty;
 * - `results.hashes_total` is a sum of share difficulties, not a hash count: unused;
 * - `cpu.threads` counts logical CPUs, not mining threads: per-thread rows come from
 *   `/2/backends` (or the v1 `hashrate.threads`).
 */
export function summaryToSample(json: unknown, options: SummaryToSampleOptions = {}): Sample {
  const reader = options.reader ?? new FieldReader();
  const sample: Sample = { time: options.now ?? Date.now(), hashrate: undefined };
  const summary = reader.object(json, 'summary');
  if (!summary) {
    if (json === undefined || json === null) reader.warn('summary: expected an object, got none');
    return finish(sample, reader);
  }

  const hashrate = reader.object(summary.hashrate, 'hashrate');
  const total = reader.array(hashrate?.total, 'hashrate.total');
  if (total) {
    const [h10, h60, h15m] = [0, 1, 2].map((i) => reader.rate(total[i], `hashrate.total.${i}`));
    if (h10 !== undefined) sample.hashrate10s = h10;
    if (h60 !== undefined) sample.hashrate60s = h60;
    if (h15m !== undefined) sample.hashrate15m = h15m;
    sample.hashrate = h10 ?? h60 ?? h15m;
  } else {
    reader.warn('hashrate.total: missing');
  }

  const results = reader.object(summary.results, 'results');
  const connection = reader.object(summary.connection, 'connection');
  const shares = readShares(reader, results, connection);
  if (shares) sample.shares = shares;

  const difficulty =
    readDifficulty(reader, results?.diff_current, 'results.diff_current') ??
    readDifficulty(reader, connection?.diff, 'connection.diff');
  if (difficulty !== undefined) sample.difficulty = difficulty;

  const pool = reader.string(connection?.pool, 'connection.pool');
  if (pool !== undefined) sample.pool = pool;
  const algo =
    reader.string(summary.algo, 'algo') ?? reader.string(connection?.algo, 'connection.algo');
  if (algo !== undefined) sample.algo = algo;
  const uptime = reader.rate(summary.uptime, 'uptime');
  if (uptime !== undefined) sample.uptimeSeconds = uptime;

  // The v1 shape carries per-thread triples in the summary itself.
  const threads = reader.array(hashrate?.threads, 'hashrate.threads');
  if (threads) {
    const devices: DeviceRow[] = threads.map((value, i) => {
      const row: DeviceRow = { id: `cpu:${i}`, name: `cpu thread ${i}` };
      const rate = firstRate(reader, value, `hashrate.threads.${i}`);
      if (rate !== undefined) row.hashrate = rate;
      return row;
    });
    if (devices.length > 0) sample.devices = devices;
  }
  return finish(sample, reader);
}

function readShares(
  reader: FieldReader,
  results: Record<string, unknown> | undefined,
  connection: Record<string, unknown> | undefined,
): ShareCounts | undefined {
  const good = reader.count(results?.shares_good, 'results.shares_good');
  const total = reader.count(results?.shares_total, 'results.shares_total');
  if (good !== undefined && total !== undefined) {
    if (total >= good) return { accepted: good, rejected: total - good };
    reader.warn('results: shares_total is below shares_good');
  }
  // Per-connection counters: reset when xmrig switches pools, but better than nothing.
  const accepted = reader.count(connection?.accepted, 'connection.accepted');
  const rejected = reader.count(connection?.rejected, 'connection.rejected');
  if (accepted !== undefined && rejected !== undefined) return { accepted, rejected };
  return undefined;
}

function readDifficulty(reader: FieldReader, value: unknown, path: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') {
    reader.rate(value, path); // records the warning
    return undefined;
  }
  const difficulty = parseDifficulty(value);
  if (difficulty === undefined && value < 0) reader.warn(`${path}: expected a number ≥ 0`);
  // 0 is what xmrig reports without a job; a real job never has difficulty 0.
  return difficulty === 0 ? undefined : difficulty;
}

function finish(sample: Sample, reader: FieldReader): Sample {
  const warnings = reader.warnings;
  if (warnings.length > 0) sample.warnings = warnings;
  return sample;
}
