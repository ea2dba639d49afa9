import { describe, expect, it } from 'vitest';
import { TemperatureGuard } from './temperature-guard.js';

const rows = (...temps: Array<number | undefined>) =>
  temps.map((temperatureC, i) => ({
    id: `gpu:${i}`,
    ...(temperatureC === undefined ? {} : { temperatureC }),
  }));

describe('TemperatureGuard', () => {
  it('acts after N hot readings in a row, then resumes below the lower limit', () => {
    const guard = new TemperatureGuard({ limitC: 85, resumeC: 75, samples: 3 });
    expect(guard.observe(rows(70, 90))).toBeUndefined();
    expect(guard.observe(rows(70, 91))).toBeUndefined();
    expect(guard.observe(rows(70, 92))).toEqual({
      action: 'cool-down',
      device: 'gpu:1',
      temperatureC: 92,
    });
    expect(guard.cooling).toBe(true);
    expect(guard.observe(rows(70, 80))).toBeUndefined(); // below the limit, above resume: stay cool
    expect(guard.observe(rows(70, 75))).toEqual({
      action: 'resume',
      device: 'gpu:1',
      temperatureC: 75,
    });
    expect(guard.cooling).toBe(false);
  });

  it('resets the streak when a reading is back under the limit', () => {
    const guard = new TemperatureGuard({ limitC: 85, resumeC: 75, samples: 2 });
    expect(guard.observe(rows(90))).toBeUndefined();
    expect(guard.observe(rows(80))).toBeUndefined();
    expect(guard.observe(rows(90))).toBeUndefined();
    expect(guard.observe(rows(90))).toMatchObject({ action: 'cool-down' });
  });

  it('ignores readings without temperatures and non-finite values', () => {
    const guard = new TemperatureGuard({ limitC: 85, resumeC: 75, samples: 1 });
    expect(guard.observe(undefined)).toBeUndefined();
    expect(guard.observe(rows(undefined, undefined))).toBeUndefined();
    expect(guard.observe([{ id: 'gpu:0', temperatureC: Number.NaN }])).toBeUndefined();
    expect(guard.cooling).toBe(false);
  });
});
