import { describe, expect, it } from 'vitest';
import { buildGetstat1Result, type Getstat1Snapshot } from './getstat1.js';
import { GETSTAT1_FIXTURE } from './testing/fixtures.js';
import { expectGetstat1Layout } from './testing/getstat1-layout.js';

const snapshot: Getstat1Snapshot = {
  uptimeSeconds: 48 * 60 + 59.9,
  gpus: [
    { index: 0, hashrate: 14_683, temperatureC: 53, fanPercent: 90, powerW: 125, lost: false },
    { index: 1, hashrate: 14_508, temperatureC: 50, fanPercent: 90, powerW: 120, lost: false },
  ],
  accepted: 54,
  rejected: 0,
  invalid: 0,
  poolSwitches: 0,
  pool: 'pool.example:4444',
  zeroHashrate: false,
  power: false,
};

describe('buildGetstat1Result', () => {
  it('rebuilds the fixture from the fixture values', () => {
    expect(buildGetstat1Result(snapshot)).toEqual(GETSTAT1_FIXTURE.result);
  });

  it('has the fixture layout, with power as result[9] when on', () => {
    const result = buildGetstat1Result({ ...snapshot, power: true });
    expect(result).toEqual([...GETSTAT1_FIXTURE.result, '125;120']);
    expectGetstat1Layout(result, { gpus: 2, power: true });
    expectGetstat1Layout(GETSTAT1_FIXTURE.result, { gpus: 2, power: false });
  });

  it('reports 0 H/s in [2] and [3] in the warm-up, minutes rounded down in [1]', () => {
    const result = buildGetstat1Result({ ...snapshot, zeroHashrate: true, uptimeSeconds: 59.9 });
    expect(result.slice(1, 4)).toEqual(['0', '0;54;0', '0;0']);
    expect(result[6]).toBe('53;90;50;90');
  });
});
