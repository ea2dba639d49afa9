import { expect } from 'vitest';
import { GETSTAT1_FIXTURE } from './fixtures.js';

const UINT = String.raw`\d+`;
const list = (entry: string, count: number) =>
  new RegExp(`^${Array.from({ length: count }, () => entry).join(';')}$`);

/**
 * Asserts that a `miner_getstat1` `result` has the layout of
 * `shared/fixtures/ttminer/miner_getstat1.json` (what the adapter's `parseMinerGetstat1` reads;
 * the adapter itself cannot be imported here — both packages are layer 1), field by field:
 *
 * - the same length as the fixture, plus `[9]` with `power`;
 * - `[0]` `TT-Miner/<version>`, like the fixture's;
 * - `[1]` whole minutes; `[2]` `total;accepted;rejected`; `[3]` one whole H/s number per GPU and
 *   `[2]`'s total is their sum (H/s, not kH/s: the sum of the parts, in the same unit);
 * - `[4]` `0;0;0` and `[5]` `off` per GPU (no secondary algorithm), as in the fixture;
 * - `[6]` a `temp;fan` pair per GPU in plausible ranges; `[7]` `host:port` (or empty without a
 *   pool); `[8]` four whole numbers; `[9]` one wattage per GPU.
 */
export function expectGetstat1Layout(
  result: unknown,
  expected: { gpus: number; power: boolean; pool?: boolean },
): void {
  const fixture = GETSTAT1_FIXTURE.result;
  expect(Array.isArray(result)).toBe(true);
  const fields = result as unknown[];
  expect(fields).toHaveLength(fixture.length + (expected.power ? 1 : 0));
  expect(fields.every((field) => typeof field === 'string')).toBe(true);
  const [name, minutes, totals, rates, secondary, secondaryRates, tempFan, pool, invalid, power] =
    fields as string[];
  const { gpus } = expected;

  expect(name).toMatch(/^TT-Miner\/\d+\.\d+\.\d+$/);
  expect(name).toBe(fixture[0]);
  expect(fixture[1]).toMatch(/^\d+$/);
  expect(minutes).toMatch(/^\d+$/);
  expect(totals).toMatch(list(UINT, 3));
  expect(rates).toMatch(list(UINT, gpus));
  const perGpu = (rates as string).split(';').map(Number);
  expect(Number((totals as string).split(';')[0])).toBe(perGpu.reduce((a, b) => a + b, 0));
  expect(secondary).toBe(fixture[4]);
  expect(secondaryRates).toBe(Array.from({ length: gpus }, () => 'off').join(';'));
  expect(tempFan).toMatch(list(UINT, 2 * gpus));
  (tempFan as string)
    .split(';')
    .map(Number)
    .forEach((value, i) => {
      if (i % 2 === 0) expect(value).toBeLessThanOrEqual(200);
      else expect(value).toBeLessThanOrEqual(100);
    });
  if (expected.pool === false) expect(pool).toBe('');
  else expect(pool).toMatch(/^(?:\[[0-9a-f:.]+\]|[^\s:@;]+):\d{1,5}$/i);
  expect(invalid).toMatch(list(UINT, 4));
  if (expected.power) expect(power).toMatch(list(UINT, gpus));
}
