import { type RandomSource, randomBytesFrom } from '../shared/mulberry32.js';
import { NONCE_OFFSET, resultDifficulty } from './stratum-job.js';

const TWO_POW_53 = 2n ** 53n;
const TWO_POW_64 = 2n ** 64n;

/** A 64-bit value drawn uniformly from `[low, high)`. */
function uniformBigInt(random: RandomSource, low: bigint, high: bigint): bigint {
  const fraction = BigInt(Math.floor(random() * 2 ** 53));
  return low + ((high - low) * fraction) / TWO_POW_53;
}

/**
 * The 4 nonce bytes for nonce counter `counter` of a job. With NiceHash the pool owns the
 * nonce's top byte (blob byte 42, nonce byte 3): xmrig keeps it as the pool set it and only
 * varies the three others, so the counter wraps at 2^24.
 */
export function makeNonce(counter: number, blob: Buffer, nicehash: boolean): string {
  const nonce = Buffer.alloc(4);
  if (nicehash) {
    nonce.writeUIntLE(counter % 0x100_0000, 0, 3);
    nonce[3] = blob[NONCE_OFFSET + 3] as number;
  } else {
    nonce.writeUInt32LE(counter % 0x1_0000_0000, 0);
  }
  return nonce.toString('hex');
}

/**
 * A fake 32-byte hash for a share of a job with 64-bit `target`. A good share's last 8 bytes
 * (little-endian) are below the target, so a pool that checks the target accepts it; a bad one
 * (`--sim-reject-rate`) is at or above it, so such a pool rejects it as "Low difficulty share".
 * Nobody can check the hash itself without running RandomX.
 */
export function makeResult(
  random: RandomSource,
  target: bigint,
  good: boolean,
): {
  result: string;
  actualDiff: bigint;
} {
  const bytes = randomBytesFrom(random, 32);
  const value =
    good || target >= TWO_POW_64 - 1n
      ? uniformBigInt(random, 1n, target > 1n ? target : 2n)
      : uniformBigInt(random, target, TWO_POW_64);
  bytes.writeBigUInt64LE(value, 24);
  return { result: bytes.toString('hex'), actualDiff: resultDifficulty(bytes) };
}
