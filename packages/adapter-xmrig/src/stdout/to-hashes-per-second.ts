const UNITS: Readonly<Record<string, number>> = {
  'H/s': 1,
  'kH/s': 1e3,
  'KH/s': 1e3,
  'MH/s': 1e6,
  'GH/s': 1e9,
};

/**
 * Converts a hashrate as printed (`23.02` with unit `H/s`, `n/a`) to H/s. Returns undefined
 * for `n/a`, an unknown unit or a value that is not a number ≥ 0.
 */
export function toHashesPerSecond(value: string, unit: string): number | undefined {
  const factor = UNITS[unit];
  if (factor === undefined || !/^\d+(?:\.\d+)?$/.test(value)) return undefined;
  return Number(value) * factor;
}

/** True when `unit` is a hashrate unit {@link toHashesPerSecond} knows. */
export function isHashrateUnit(unit: string): boolean {
  return Object.hasOwn(UNITS, unit);
}
