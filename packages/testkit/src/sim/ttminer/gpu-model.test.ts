import { describe, expect, it } from 'vitest';
import { GpuModel, HASHRATE_WINDOW_S, OVERHEAT_C } from './gpu-model.js';

const model = (options: Partial<ConstructorParameters<typeof GpuModel>[0]> = {}) =>
  new GpuModel({ seed: 1, devices: [0, 1], hashrate: 14_500_000, ...options });

/** Temperatures of GPU `gpu` after each second up to `seconds`. */
function temperatures(gpuModel: GpuModel, seconds: number, gpu = 0): number[] {
  const out: number[] = [];
  for (let s = gpuModel.second + 1; s <= seconds; s++) {
    gpuModel.advanceTo(s);
    out.push(gpuModel.read()[gpu]?.temperatureC as number);
  }
  return out;
}

describe('GpuModel', () => {
  it('hashes at the nominal rate per GPU (±1.5 % per GPU, 1 % jitter), 0 while not hashing', () => {
    const gpus = model();
    gpus.advanceTo(3);
    expect(gpus.read().map((gpu) => gpu.hashrate)).toEqual([0, 0]);
    gpus.setHashing(true, 3);
    gpus.advanceTo(3 + HASHRATE_WINDOW_S);
    for (const gpu of gpus.read()) {
      expect(gpu.hashrate).toBeGreaterThan(14_500_000 * 0.97);
      expect(gpu.hashrate).toBeLessThan(14_500_000 * 1.03);
      expect(Number.isInteger(gpu.hashrate)).toBe(true);
    }
    expect(gpus.nominalRate()).toBeGreaterThan(29_000_000 * 0.98);
    // The reported rate is a moving average: it falls over the window once hashing stops.
    gpus.setHashing(false, 3 + HASHRATE_WINDOW_S);
    gpus.advanceTo(5 + HASHRATE_WINDOW_S);
    const falling = gpus.read()[0]?.hashrate as number;
    expect(falling).toBeGreaterThan(0);
    expect(falling).toBeLessThan(14_500_000 * 0.7);
    gpus.advanceTo(3 + 2 * HASHRATE_WINDOW_S);
    expect(gpus.read().map((gpu) => gpu.hashrate)).toEqual([0, 0]);
    expect(gpus.nominalRate()).toBe(0);
  });

  it('drifts from ~40 °C idle toward 59–69 °C under load, the fan and power following', () => {
    const gpus = model({ seed: 9 });
    gpus.advanceTo(30);
    const idle = gpus.read();
    for (const gpu of idle) {
      expect(gpu.temperatureC).toBeGreaterThanOrEqual(37);
      expect(gpu.temperatureC).toBeLessThanOrEqual(43);
      expect(gpu.fanPercent).toBeLessThanOrEqual(36);
      expect(gpu.powerW).toBe(35);
    }
    gpus.setHashing(true, 30);
    const rising = temperatures(gpus, 150);
    expect(rising[10] as number).toBeGreaterThan(idle[0]?.temperatureC as number);
    const loaded = gpus.read();
    for (const gpu of loaded) {
      expect(gpu.temperatureC).toBeGreaterThanOrEqual(57);
      expect(gpu.temperatureC).toBeLessThanOrEqual(71);
      expect(gpu.fanPercent).toBeGreaterThan(60);
      expect(gpu.fanPercent).toBeLessThanOrEqual(100);
      expect(gpu.powerW).toBeGreaterThan(200);
      expect(gpu.powerW).toBeLessThan(240);
    }
    // And back down when the load goes.
    gpus.setHashing(false, 150);
    gpus.advanceTo(270);
    expect(gpus.read()[0]?.temperatureC as number).toBeLessThan(45);
    expect(gpus.read()[0]?.fanPercent as number).toBeLessThan(45);
  });

  it('overheats a GPU past 90 °C within about a minute, and keeps it there, load or not', () => {
    const gpus = model({ overheat: [1] });
    gpus.setHashing(true, 0);
    const hot = temperatures(gpus, 180, 1);
    const firstAbove90 = hot.findIndex((t) => t > 90) + 1;
    expect(firstAbove90).toBeGreaterThan(35);
    expect(firstAbove90).toBeLessThanOrEqual(65);
    expect(hot.slice(firstAbove90 + 5).every((t) => t > 90 && t <= OVERHEAT_C + 2)).toBe(true);
    expect(gpus.read()[1]?.fanPercent).toBe(100);
    expect(gpus.read()[0]?.temperatureC as number).toBeLessThan(72);
    gpus.setHashing(false, 180);
    expect(temperatures(gpus, 240, 1).every((t) => t > 90)).toBe(true);
  });

  it('reports a lost GPU at 0 H/s at once and takes it out of the share rate', () => {
    const gpus = model();
    gpus.setHashing(true, 0);
    gpus.advanceTo(10);
    const before = gpus.nominalRate();
    expect(gpus.lose(1, 10)).toBe(true);
    expect(gpus.lose(1, 10)).toBe(false);
    expect(gpus.lose(7, 10)).toBe(false);
    const [first, lost] = gpus.read();
    expect(lost).toMatchObject({ index: 1, hashrate: 0, lost: true });
    expect(first?.hashrate as number).toBeGreaterThan(14_000_000);
    expect(gpus.nominalRate()).toBeLessThan(before * 0.55);
    gpus.advanceTo(20);
    expect(gpus.read()[1]?.hashrate).toBe(0);
    // Shares are only credited to working GPUs.
    let draws = 0;
    const random = () => (draws++ % 10) / 10;
    for (let i = 0; i < 20; i++) expect(gpus.pickGpu(random)).toBe(0);
  });

  it('is a function of the seed and the calls', () => {
    const sequence = (seed: number) => {
      const gpus = model({ seed });
      gpus.setHashing(true, 0);
      const out: string[] = [];
      for (let s = 1; s <= 40; s++) {
        gpus.advanceTo(s);
        out.push(JSON.stringify(gpus.read()));
      }
      return out;
    };
    expect(sequence(5)).toEqual(sequence(5));
    expect(sequence(5)).not.toEqual(sequence(6));
  });

  it('uses the CUDA indexes it is given', () => {
    const gpus = model({ devices: [3, 1] });
    expect(gpus.read().map((gpu) => gpu.index)).toEqual([3, 1]);
  });
});
