/**
 * Converts a CryptoNote job `target` (hex, little-endian; 4 or 8 bytes) to a share difficulty.
 * A 4-byte target `t` stands for the 64-bit target `t << 32 | 0xffffffff`, so difficulty is
 * `2^64 / target64`, which for 4-byte targets is ≈ `2^32 / t`.
 * Returns `undefined` for anything that is not a valid non-zero target.
 */
export function targetToDifficulty(target: unknown): number | undefined {
  if (typeof target !== 'string' || !/^(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{16})$/.test(target)) {
    return undefined;
  }
  const bytes = Buffer.from(target, 'hex');
  const value =
    bytes.length === 4
      ? (BigInt(bytes.readUInt32LE(0)) << 32n) | 0xffffffffn
      : bytes.readBigUInt64LE(0);
  if (value === 0n) return undefined;
  return Number((1n << 64n) / value);
}
