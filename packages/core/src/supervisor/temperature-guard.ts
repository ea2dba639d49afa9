import type { DeviceRow } from '../adapter/sample.js';

/** What the guard wants done after a reading. */
export type GuardDecision =
  | { action: 'cool-down'; device: string; temperatureC: number }
  | { action: 'resume'; device: string; temperatureC: number }
  | undefined;

/** Settings of a {@link TemperatureGuard}. */
export interface TemperatureGuardOptions {
  /** Act when any device is above this, °C. */
  limitC: number;
  /** Resume when every device is at or below this, °C. */
  resumeC: number;
  /** Readings in a row above the limit before acting (one hot reading is noise). */
  samples: number;
}

/**
 * Decides when a miner is too hot: any device above `limitC` for `samples` readings in a row
 * → cool down; then every device at or below `resumeC` → resume. The gap between the two
 * limits keeps it from flapping. State is two numbers: bounded by construction.
 */
export class TemperatureGuard {
  readonly #o: TemperatureGuardOptions;
  #hotStreak = 0;
  #cooling = false;

  constructor(options: TemperatureGuardOptions) {
    this.#o = options;
  }

  /** True between a cool-down decision and the matching resume. */
  get cooling(): boolean {
    return this.#cooling;
  }

  /** Feeds one reading's device rows. Rows without a temperature are ignored. */
  observe(devices: readonly DeviceRow[] | undefined): GuardDecision {
    let hottest: DeviceRow | undefined;
    for (const device of devices ?? []) {
      const t = device.temperatureC;
      if (typeof t !== 'number' || !Number.isFinite(t)) continue;
      if (!hottest || t > (hottest.temperatureC as number)) hottest = device;
    }
    if (!hottest) return undefined; // no temperature reported: nothing to judge
    const t = hottest.temperatureC as number;
    if (this.#cooling) {
      if (t > this.#o.resumeC) return undefined;
      this.#cooling = false;
      this.#hotStreak = 0;
      return { action: 'resume', device: hottest.id, temperatureC: t };
    }
    if (t <= this.#o.limitC) {
      this.#hotStreak = 0;
      return undefined;
    }
    this.#hotStreak += 1;
    if (this.#hotStreak < this.#o.samples) return undefined;
    this.#cooling = true;
    return { action: 'cool-down', device: hottest.id, temperatureC: t };
  }

  /** Forgets everything (a new run starts cold). */
  reset(): void {
    this.#hotStreak = 0;
    this.#cooling = false;
  }
}
