/** A source of uniformly distributed numbers in `[0, 1)`. */
export type RandomSource = () => number;

/**
 * mulberry32: a tiny, fast 32-bit PRNG. Good enough to make a simulator's noise look natural,
 * and fully determined by its seed, which is the point: the same `--sim-seed` replays the
 * same run. Not for anything that needs real randomness.
 */
export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A seed for an independent stream `stream` of the run seeded with `seed` (a murmur3 finaliser
 * over both). Separate streams keep one part of the simulation from shifting another: drawing
 * one more share does not change the hashrate curve.
 */
export function deriveSeed(seed: number, stream: number): number {
  let z = ((seed >>> 0) + Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** An exponentially distributed draw with the given mean (inter-arrival time of a Poisson process). */
export function randomExponential(random: RandomSource, mean: number): number {
  // 1 - u is in (0, 1], so the logarithm is finite.
  return -Math.log(1 - random()) * mean;
}

/** `bytes` pseudo-random bytes from `random` (for share results and session ids). */
export function randomBytesFrom(random: RandomSource, bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) out[i] = Math.floor(random() * 256);
  return out;
}
