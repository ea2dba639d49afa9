import type { DeviceRow } from '@rigkit/core';
import { FieldReader } from './field-reader.js';

/** Most device rows one reading keeps. */
export const MAX_DEVICES = 1024;

/**
 * Maps `GET /2/backends` to per-thread device rows: one row per mining thread of each
 * enabled backend, keyed `<backend>:<thread index>` (e.g. `cpu:0`), which stays the same
 * across restarts with the same settings. A thread's hashrate is its shortest filled window,
 * H/s. Surprising values are reported through `reader`, never thrown.
 */
export function backendsToDevices(
  json: unknown,
  reader: FieldReader = new FieldReader(),
): DeviceRow[] | undefined {
  const backends = reader.array(json, 'backends');
  if (!backends) {
    if (json === undefined || json === null) reader.warn('backends: expected an array, got none');
    return undefined;
  }
  const rows: DeviceRow[] = [];
  const ids = new Set<string>();
  backends.forEach((entry, b) => {
    const backend = reader.object(entry, `backends.${b}`);
    if (!backend || backend.enabled === false) return;
    const type = reader.string(backend.type, `backends.${b}.type`) ?? `backend${b}`;
    const threads = reader.array(backend.threads, `backends.${b}.threads`);
    threads?.forEach((value, t) => {
      const path = `backends.${b}.threads.${t}`;
      const thread = reader.object(value, path);
      if (!thread || rows.length >= MAX_DEVICES) return;
      const id = `${type}:${t}`;
      if (ids.has(id)) {
        reader.warn(`${path}: duplicate device id ${id}`);
        return;
      }
      ids.add(id);
      const affinity = typeof thread.affinity === 'number' ? thread.affinity : -1;
      const row: DeviceRow = {
        id,
        name: affinity >= 0 ? `${type} thread ${t} (CPU ${affinity})` : `${type} thread ${t}`,
      };
      const hashrate = firstRate(reader, thread.hashrate, `${path}.hashrate`);
      if (hashrate !== undefined) row.hashrate = hashrate;
      rows.push(row);
    });
  });
  return rows.length > 0 ? rows : undefined;
}

/**
 * The first non-null entry of an xmrig `[10s, 60s, 15m]` triple, H/s: the shortest window
 * that has data.
 */
export function firstRate(reader: FieldReader, value: unknown, path: string): number | undefined {
  const triple = reader.array(value, path);
  if (!triple) return undefined;
  for (let i = 0; i < Math.min(triple.length, 3); i += 1) {
    const rate = reader.rate(triple[i], `${path}.${i}`);
    if (rate !== undefined) return rate;
  }
  return undefined;
}
