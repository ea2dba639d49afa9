import { deriveSeed, mulberry32, type RandomSource } from '../shared/mulberry32.js';

/** Seconds the reported hashrate averages over (TT-Miner shows a short moving average). */
export const HASHRATE_WINDOW_S = 5;
/** Idle temperature is drawn from this range, °C. */
const IDLE_C: readonly [number, number] = [38, 42];
/** Degrees a GPU gains at full load, drawn from this range: loaded GPUs settle at ~59–69 °C. */
const LOAD_C: readonly [number, number] = [21, 27];
/** Time constant of the temperature, simulated seconds. */
const TAU_S = 20;
/** An overheating GPU heads for this temperature, with this time constant: past 90 °C at ~50 s. */
export const OVERHEAT_C = 98;
const OVERHEAT_TAU_S = 25;
/** Power: idle draw plus this much at full load, W. */
const IDLE_W = 35;
const LOAD_W = 185;

/** How a {@link GpuModel} is set up. */
export interface GpuModelOptions {
  seed: number;
  /** CUDA indexes of the GPUs mined with. */
  devices: readonly number[];
  /** Mean hashrate of each GPU, H/s (each GPU gets a seeded ±1.5 % of its own). */
  hashrate: number;
  /** CUDA indexes of GPUs that overheat whatever their load. */
  overheat?: readonly number[];
  /** Relative standard deviation of the per-second hashrate (default 0.01). */
  jitter?: number;
}

/** One GPU's reading. */
export interface GpuReading {
  /** CUDA index. */
  index: number;
  /** Moving average over {@link HASHRATE_WINDOW_S} seconds, H/s (0 before the first second). */
  hashrate: number;
  temperatureC: number;
  fanPercent: number;
  powerW: number;
  lost: boolean;
}

interface GpuState {
  index: number;
  nominal: number;
  idleC: number;
  loadC: number;
  overheat: boolean;
  temperature: number;
  window: Float64Array;
  filled: number;
  lost: boolean;
  random: RandomSource;
}

const between = (random: RandomSource, [low, high]: readonly [number, number]) =>
  low + random() * (high - low);

/** Sum of four uniforms, scaled to a standard deviation of about 1 (cheap and bounded). */
const noise = (random: RandomSource) => (random() + random() + random() + random() - 2) * 1.7320508;

/**
 * The simulated GPUs, stepped one whole simulated second at a time (so that what is printed
 * and reported is a function of the seed and of the calls, not of when timers fire):
 *
 * - **hashrate**: each second a GPU that hashes does its nominal rate ± jitter; the reported
 *   rate is the mean of the last {@link HASHRATE_WINDOW_S} seconds. A lost GPU reports 0 at once.
 * - **temperature** drifts toward a load-dependent equilibrium (idle ~40 °C, loaded ~59–69 °C;
 *   time constant 20 s) with seeded noise; an overheating GPU heads for {@link OVERHEAT_C}
 *   whatever its load (past 90 °C after ~50 simulated seconds) and stays there.
 * - **fan** follows the temperature (30 % at 40 °C, +1.8 % per °C, at most 100 %);
 *   **power** is idle draw plus a share proportional to the hashrate.
 *
 * Every GPU draws its noise from its own stream, in a fixed order each second, hashing or not.
 */
export class GpuModel {
  readonly #gpus: GpuState[];
  readonly #jitter: number;
  #second = 0;
  #hashing = false;

  constructor(options: GpuModelOptions) {
    const overheat = new Set(options.overheat ?? []);
    this.#jitter = options.jitter ?? 0.01;
    this.#gpus = options.devices.map((index, position) => {
      const random = mulberry32(deriveSeed(options.seed, 1000 + position));
      const idleC = between(random, IDLE_C);
      return {
        index,
        nominal: Math.max(0, options.hashrate) * (1 + (random() - 0.5) * 0.03),
        idleC,
        loadC: between(random, LOAD_C),
        overheat: overheat.has(index),
        temperature: idleC,
        window: new Float64Array(HASHRATE_WINDOW_S),
        filled: 0,
        lost: false,
        random,
      };
    });
  }

  /** The last whole second generated. */
  get second(): number {
    return this.#second;
  }

  get hashing(): boolean {
    return this.#hashing;
  }

  /**
   * Starts or stops hashing at `atSeconds`: seconds before it are generated with the old state
   * first, the change applies from the next whole second.
   */
  setHashing(hashing: boolean, atSeconds: number): void {
    this.advanceTo(atSeconds);
    this.#hashing = hashing;
  }

  /** GPU `index` (CUDA) stops hashing for good; its reported hashrate is 0 at once. */
  lose(index: number, atSeconds: number): boolean {
    this.advanceTo(atSeconds);
    const gpu = this.#gpus.find((candidate) => candidate.index === index);
    if (!gpu || gpu.lost) return false;
    gpu.lost = true;
    gpu.window.fill(0);
    return true;
  }

  /** The mean hashrate the working GPUs do while hashing, H/s (what shares are drawn from). */
  nominalRate(): number {
    if (!this.#hashing) return 0;
    return this.#gpus.reduce((sum, gpu) => sum + (gpu.lost ? 0 : gpu.nominal), 0);
  }

  /** Which GPU found a share: a working one, drawn in proportion to its rate. */
  pickGpu(random: RandomSource): number {
    const working = this.#gpus.filter((gpu) => !gpu.lost);
    const total = working.reduce((sum, gpu) => sum + gpu.nominal, 0);
    let draw = random() * total;
    for (const gpu of working) {
      draw -= gpu.nominal;
      if (draw < 0) return gpu.index;
    }
    return (working.at(-1) ?? this.#gpus[0])?.index ?? 0;
  }

  /** Generates every whole second up to `seconds`. */
  advanceTo(seconds: number): void {
    const target = Math.floor(seconds);
    while (this.#second < target) {
      this.#second++;
      for (const gpu of this.#gpus) this.#step(gpu);
    }
  }

  /** The GPUs as of the last generated second. */
  read(): GpuReading[] {
    return this.#gpus.map((gpu) => {
      const hashrate = this.#average(gpu);
      const load = gpu.nominal > 0 ? Math.min(1.1, hashrate / gpu.nominal) : 0;
      const temperatureC = Math.round(gpu.temperature);
      return {
        index: gpu.index,
        hashrate: Math.round(hashrate),
        temperatureC,
        fanPercent: Math.min(100, Math.max(30, Math.round(30 + (gpu.temperature - 40) * 1.8))),
        powerW: Math.round(IDLE_W + LOAD_W * load),
        lost: gpu.lost,
      };
    });
  }

  #step(gpu: GpuState): void {
    // The same draws per GPU every second, whatever the state.
    const rateNoise = noise(gpu.random);
    const heatNoise = noise(gpu.random);
    const working = this.#hashing && !gpu.lost;
    const instant = working ? Math.max(0, gpu.nominal * (1 + this.#jitter * rateNoise)) : 0;
    gpu.window[this.#second % HASHRATE_WINDOW_S] = instant;
    gpu.filled = Math.min(HASHRATE_WINDOW_S, gpu.filled + 1);
    const load = gpu.nominal > 0 ? Math.min(1.1, this.#average(gpu) / gpu.nominal) : 0;
    const equilibrium = gpu.overheat ? OVERHEAT_C : gpu.idleC + gpu.loadC * load;
    const tau = gpu.overheat ? OVERHEAT_TAU_S : TAU_S;
    gpu.temperature += (equilibrium - gpu.temperature) * (1 - Math.exp(-1 / tau));
    gpu.temperature += heatNoise * 0.15;
  }

  #average(gpu: GpuState): number {
    if (gpu.filled === 0) return 0;
    let sum = 0;
    for (let i = 0; i < HASHRATE_WINDOW_S; i++) sum += gpu.window[i] as number;
    // Unfilled slots are 0: divide by the seconds actually generated.
    return sum / gpu.filled;
  }
}
