const UNITS: Readonly<Record<string, number>> = {
  h: 1,
  kh: 1e3,
  mh: 1e6,
  gh: 1e9,
  th: 1e12,
};

/**
 * Converts a hashrate as printed (`14.68` with unit `MH/s`) to H/s. The unit is matched
 * case-insensitively (`kH/s`, `KH/s`, `Mh/s`…). Returns undefined for an unknown unit or a value
 * that is not a number ≥ 0.
 */
export function toHashesPerSecond(value: string, unit: string): number | undefined {
  const factor = UNITS[unit.toLowerCase().replace(/\/s$/, '')];
  if (factor === undefined || !/^\d{1,15}(?:\.\d{1,10})?$/.test(value)) return undefined;
  return Math.round(Number(value) * factor * 1000) / 1000;
}
