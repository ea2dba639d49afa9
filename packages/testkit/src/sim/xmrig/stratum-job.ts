/** A CryptoNote stratum job, as the pool sent it (login result `job`, or a `job` notification). */
export interface StratumJob {
  jobId: string;
  blob: Buffer;
  /** The 64-bit target: a share's result value (its last 8 bytes, little-endian) must be below it. */
  target: bigint;
  /** xmrig's difficulty of the job: `0xFFFFFFFFFFFFFFFF / target`. */
  diff: bigint;
  algo: string | null;
  height: number | null;
  seedHash: string | null;
}

const UINT64_MAX = 0xffff_ffff_ffff_ffffn;
const UINT32_MAX = 0xffff_ffffn;

/** Where the 4-byte nonce sits in a CryptoNote blob. */
export const NONCE_OFFSET = 39;

const HEX = /^(?:[0-9a-fA-F]{2})+$/;

/**
 * The 64-bit target and the difficulty of a stratum `target`, computed like xmrig's
 * `Job::setTarget`: a 4-byte target `t` (little-endian) is widened to
 * `UINT64_MAX / (UINT32_MAX / t)`, an 8-byte target is taken as it is, and the difficulty is
 * `UINT64_MAX / target`. `b88d0600` gives difficulty 10000. Returns `undefined` for anything else.
 */
export function parseTarget(hex: string): { target: bigint; diff: bigint } | undefined {
  if (!HEX.test(hex) || (hex.length !== 8 && hex.length !== 16)) return undefined;
  const raw = Buffer.from(hex, 'hex');
  let target: bigint;
  if (raw.length === 4) {
    const t = BigInt(raw.readUInt32LE(0));
    if (t === 0n) return undefined;
    target = UINT64_MAX / (UINT32_MAX / t);
  } else {
    target = raw.readBigUInt64LE(0);
  }
  if (target === 0n) return undefined;
  return { target, diff: UINT64_MAX / target };
}

/** The difficulty a result meets: `UINT64_MAX / value` of its last 8 bytes (xmrig's `actualDiff`). */
export function resultDifficulty(result: Buffer): bigint {
  const value = result.readBigUInt64LE(24);
  return value === 0n ? UINT64_MAX : UINT64_MAX / value;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Reads a job object. Returns the job, or the reason it is unusable: a blob that is not hex or
 * is too short to hold a nonce, or a bad target (xmrig rejects those jobs too).
 */
export function parseStratumJob(raw: unknown): StratumJob | string {
  if (!isObject(raw)) return 'job is not an object';
  const { blob, job_id: jobId, target, algo, height, seed_hash: seedHash } = raw;
  if (typeof jobId !== 'string' || jobId === '') return 'invalid job id';
  if (typeof blob !== 'string' || !HEX.test(blob) || blob.length / 2 < NONCE_OFFSET + 4) {
    return 'invalid blob';
  }
  const parsed = typeof target === 'string' ? parseTarget(target) : undefined;
  if (!parsed) return 'invalid target';
  return {
    jobId,
    blob: Buffer.from(blob, 'hex'),
    target: parsed.target,
    diff: parsed.diff,
    algo: typeof algo === 'string' && algo !== '' ? algo : null,
    height: typeof height === 'number' && Number.isSafeInteger(height) ? height : null,
    seedHash: typeof seedHash === 'string' ? seedHash : null,
  };
}
