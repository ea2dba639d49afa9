import type { GpuReading } from './gpu-model.js';
import { TTMINER_SIM_VERSION } from './ttminer-sim-options.js';

/** What a `miner_getstat1` answer is built from. */
export interface Getstat1Snapshot {
  /** Simulated seconds since start. */
  uptimeSeconds: number;
  gpus: readonly GpuReading[];
  accepted: number;
  rejected: number;
  invalid: number;
  poolSwitches: number;
  /** The active pool as `host:port`, or `''` without one. */
  pool: string;
  /** Report 0 H/s (`--sim-zero-until-first-share` before the first accepted share). */
  zeroHashrate: boolean;
  /** Append the best-effort power list `result[9]`. */
  power: boolean;
}

/**
 * The `result` array of TT-Miner's `miner_getstat1`, in the layout of
 * `shared/fixtures/ttminer/miner_getstat1.json` (Claymore's, in **H/s**):
 *
 * | index | content |
 * | --- | --- |
 * | 0 | `TT-Miner/<version>` |
 * | 1 | uptime in **minutes** (whole, rounded down) |
 * | 2 | `total;accepted;rejected`, total in H/s (the sum of `[3]`) |
 * | 3 | per-GPU hashrates `h0;h1;…`, H/s |
 * | 4 | secondary algorithm totals: `0;0;0` |
 * | 5 | secondary algorithm per GPU: `off;off;…` |
 * | 6 | `temp0;fan0;temp1;fan1;…` (°C, %) |
 * | 7 | the active pool `host:port` |
 * | 8 | `invalid;poolSwitches;0;0` |
 * | 9 | `p0;p1;…` watts — only with power on (not in the documented layout; the Rigkit adapter reads it best-effort) |
 *
 * All entries are strings of whole numbers, as TT-Miner sends them.
 */
export function buildGetstat1Result(snapshot: Getstat1Snapshot): string[] {
  const rates = snapshot.gpus.map((gpu) => (snapshot.zeroHashrate ? 0 : gpu.hashrate));
  const total = rates.reduce((sum, rate) => sum + rate, 0);
  const result = [
    `TT-Miner/${TTMINER_SIM_VERSION}`,
    String(Math.floor(snapshot.uptimeSeconds / 60)),
    `${total};${snapshot.accepted};${snapshot.rejected}`,
    rates.join(';'),
    '0;0;0',
    snapshot.gpus.map(() => 'off').join(';'),
    snapshot.gpus.map((gpu) => `${gpu.temperatureC};${gpu.fanPercent}`).join(';'),
    snapshot.pool,
    `${snapshot.invalid};${snapshot.poolSwitches};0;0`,
  ];
  if (snapshot.power) result.push(snapshot.gpus.map((gpu) => String(gpu.powerW)).join(';'));
  return result;
}
