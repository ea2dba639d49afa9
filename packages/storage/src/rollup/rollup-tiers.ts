/** One minute, ms. */
export const MINUTE_MS = 60_000;
/** One hour, ms. */
export const HOUR_MS = 3_600_000;

/** Names of the roll-up tiers (also their `rollup_state` rows). */
export type RollupTierName = '1m' | '1h';

/** Start of the `size`-wide bucket that holds `time`. */
export function floorTo(time: number, size: number): number {
  return Math.floor(time / size) * size;
}
