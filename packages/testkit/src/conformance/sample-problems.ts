/** How far a sample's `time` may be from the clock: catches seconds-for-milliseconds mix-ups. */
const MAX_CLOCK_SKEW_MS = 60 * 60 * 1000;

/**
 * Checks a value against the `Sample` contract of `@rigkit/core` and lists every problem as
 * `path: what is wrong` — an empty array for a valid sample. Checks units as far as they can
 * be checked: `time` is ms since the epoch near `now`, hashrates are finite H/s ≥ 0 (or left
 * out), share counters are non-negative integers, devices have unique string ids.
 */
export function sampleProblems(sample: unknown, now: number = Date.now()): string[] {
  const problems: string[] = [];
  if (typeof sample !== 'object' || sample === null || Array.isArray(sample)) {
    return ['sample: must be an object'];
  }
  const s = sample as Record<string, unknown>;

  if (typeof s.time !== 'number' || !Number.isFinite(s.time)) {
    problems.push('time: must be a finite number (ms since the epoch)');
  } else if (Math.abs(s.time - now) > MAX_CLOCK_SKEW_MS) {
    problems.push(`time: ${s.time} is not ms since the epoch near now (${now})`);
  }

  if (!('hashrate' in s)) problems.push('hashrate: must be present (undefined when unknown)');
  for (const key of ['hashrate', 'hashrate10s', 'hashrate60s', 'hashrate15m']) {
    checkRate(s[key], key, problems);
  }
  for (const key of ['difficulty', 'uptimeSeconds']) {
    const value = s[key];
    if (value !== undefined && !(isFiniteNumber(value) && value >= 0)) {
      problems.push(`${key}: must be a finite number ≥ 0 when present`);
    }
  }
  for (const key of ['pool', 'algo']) {
    if (s[key] !== undefined && typeof s[key] !== 'string') {
      problems.push(`${key}: must be a string when present`);
    }
  }

  if (s.shares !== undefined) {
    if (typeof s.shares !== 'object' || s.shares === null) {
      problems.push('shares: must be an object when present');
    } else {
      const shares = s.shares as Record<string, unknown>;
      for (const key of ['accepted', 'rejected']) {
        if (!isCount(shares[key])) problems.push(`shares.${key}: must be an integer ≥ 0`);
      }
      for (const key of ['stale', 'invalid']) {
        if (shares[key] !== undefined && !isCount(shares[key])) {
          problems.push(`shares.${key}: must be an integer ≥ 0 when present`);
        }
      }
    }
  }

  if (s.devices !== undefined) {
    if (!Array.isArray(s.devices)) {
      problems.push('devices: must be an array when present');
    } else {
      const ids = new Set<string>();
      s.devices.forEach((device: unknown, i) => {
        if (typeof device !== 'object' || device === null) {
          problems.push(`devices.${i}: must be an object`);
          return;
        }
        const d = device as Record<string, unknown>;
        if (typeof d.id !== 'string' || d.id === '') {
          problems.push(`devices.${i}.id: must be a non-empty string (a stable device id)`);
        } else if (ids.has(d.id)) {
          problems.push(`devices.${i}.id: "${d.id}" is not unique`);
        } else {
          ids.add(d.id);
        }
        checkRate(d.hashrate, `devices.${i}.hashrate`, problems);
        for (const key of ['temperatureC', 'fanPercent', 'powerW']) {
          if (d[key] !== undefined && !isFiniteNumber(d[key])) {
            problems.push(`devices.${i}.${key}: must be a finite number when present`);
          }
        }
      });
    }
  }

  if (
    s.warnings !== undefined &&
    !(Array.isArray(s.warnings) && s.warnings.every((w) => typeof w === 'string'))
  ) {
    problems.push('warnings: must be an array of strings when present');
  }
  return problems;
}

function checkRate(value: unknown, path: string, problems: string[]): void {
  if (value !== undefined && !(isFiniteNumber(value) && value >= 0)) {
    problems.push(`${path}: must be a finite number ≥ 0 (H/s) or undefined`);
  }
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
