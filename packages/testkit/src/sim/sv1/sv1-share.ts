import { DIFF1_TARGET, type StratumV1Job } from '../ttminer/stratum-v1-job.js';
import { sha256d } from './sha256d.js';

/**
 * The Bitcoin Stratum V1 share arithmetic, as pure functions: coinbase → merkle root → 80-byte
 * block header → SHA-256d → compared with the share target. Used by the pool simulator to
 * verify shares for real and by the miner simulator to find them.
 *
 * Byte orders, because Stratum mixes them:
 * - `version`, `nbits`, `ntime` and the submitted `nonce` are big-endian hex of 32-bit numbers;
 *   the header holds them little-endian.
 * - `prevhash` is sent as eight 4-byte groups, each byte-swapped relative to the header's
 *   (internal) byte order.
 * - merkle branch hashes and the coinbase hash are used in internal order as they are.
 * - the header hash is read as a little-endian 256-bit number.
 */

/** A job with its hex fields decoded once, to build headers for many shares. */
export interface PreparedSv1Job {
  readonly job: StratumV1Job;
  readonly coinb1: Buffer;
  readonly coinb2: Buffer;
  /** The branch hashes, internal byte order (as sent). */
  readonly merkleBranch: readonly Buffer[];
  /** `prevhash` in the header's byte order. */
  readonly prevHash: Buffer;
  readonly version: number;
  readonly nbits: number;
  readonly ntime: number;
}

/** A share target: `DIFF1_TARGET / difficulty`, with its top 32 bits for a fast comparison. */
export interface Sv1Target {
  readonly difficulty: number;
  /** A hash at or below this (little-endian 256-bit number) is a share. */
  readonly value: bigint;
  /** `value >> 224`: most hashes are decided by their last four bytes alone. */
  readonly top32: number;
}

/** The parts of an 80-byte block header, numbers as the pool sends them (not byte-swapped). */
export interface Sv1HeaderFields {
  version: number;
  /** 32 bytes, header order (see {@link stratumPrevHashToHeader}). */
  prevHash: Uint8Array;
  /** 32 bytes, header order. */
  merkleRoot: Uint8Array;
  ntime: number;
  nbits: number;
  nonce: number;
}

/** The miner's fields of a `mining.submit`, as hex text. */
export interface Sv1Submission {
  extranonce2: string;
  /** 8 hex digits, big-endian. */
  ntime: string;
  /** 8 hex digits, big-endian. */
  nonce: string;
  /** BIP 310 version bits (8 hex digits), when the miner rolls the version. */
  versionBits?: string;
}

/** What a share is verified against: the connection's extranonce1, target and version mask. */
export interface Sv1VerifyContext {
  extranonce1: string | Uint8Array;
  target: Sv1Target;
  /** The negotiated BIP 310 mask; without it `versionBits` are ignored. */
  versionMask?: number;
}

/** The outcome of {@link verifySv1Share}. */
export interface Sv1Verdict {
  /** The header hash is at or below the target. */
  valid: boolean;
  /** SHA-256d of the header (internal order; reverse it for the usual hex display). */
  hash: Buffer;
}

const HEX32 = /^[0-9a-fA-F]{8}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const TOP_SHIFT = 224n;

/** A big-endian 32-bit hex field (`version`, `nbits`, `ntime`, `nonce`) as a number. */
export function parseHex32(hex: string): number {
  if (!HEX32.test(hex)) throw new RangeError(`not 8 hex digits: ${hex.slice(0, 16)}`);
  return Number.parseInt(hex, 16) >>> 0;
}

/** A 32-bit number as 8 big-endian hex digits (how Stratum sends it). */
export function formatHex32(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

function hexBytes(hex: string | Uint8Array, what: string): Uint8Array {
  if (typeof hex !== 'string') return hex;
  if (!HEX.test(hex)) throw new RangeError(`${what} is not hex`);
  return Buffer.from(hex, 'hex');
}

/** The Stratum `prevhash` (eight byte-swapped 4-byte groups) in the header's byte order. */
export function stratumPrevHashToHeader(prevHash: string): Buffer {
  if (!/^[0-9a-fA-F]{64}$/.test(prevHash)) throw new RangeError('prevhash is not 32 bytes hex');
  const bytes = Buffer.from(prevHash, 'hex');
  // swap32 reverses each 4-byte group in place.
  return bytes.swap32();
}

/** Decodes a job's hex once (see {@link PreparedSv1Job}). */
export function prepareSv1Job(job: StratumV1Job): PreparedSv1Job {
  return {
    job,
    coinb1: Buffer.from(hexBytes(job.coinb1, 'coinb1')),
    coinb2: Buffer.from(hexBytes(job.coinb2, 'coinb2')),
    merkleBranch: job.merkleBranch.map((hash) => {
      if (!/^[0-9a-fA-F]{64}$/.test(hash))
        throw new RangeError('merkle branch hash is not 32 bytes');
      return Buffer.from(hash, 'hex');
    }),
    prevHash: stratumPrevHashToHeader(job.prevHash),
    version: parseHex32(job.version),
    nbits: parseHex32(job.nbits),
    ntime: parseHex32(job.ntime),
  };
}

const isPrepared = (job: StratumV1Job | PreparedSv1Job): job is PreparedSv1Job =>
  typeof job.coinb1 !== 'string';
const prepared = (job: StratumV1Job | PreparedSv1Job): PreparedSv1Job =>
  isPrepared(job) ? job : prepareSv1Job(job);

/** The coinbase transaction: `coinb1 + extranonce1 + extranonce2 + coinb2`. */
export function buildCoinbase(
  job: StratumV1Job | PreparedSv1Job,
  extranonce1: string | Uint8Array,
  extranonce2: string | Uint8Array,
): Buffer {
  const { coinb1, coinb2 } = prepared(job);
  return Buffer.concat([
    coinb1,
    hexBytes(extranonce1, 'extranonce1'),
    hexBytes(extranonce2, 'extranonce2'),
    coinb2,
  ]);
}

/** The merkle root from the coinbase hash and the branch: `root = sha256d(root ‖ branch[i])`. */
export function merkleRootFromBranch(
  coinbaseHash: Uint8Array,
  branch: readonly Uint8Array[],
): Buffer {
  let root: Buffer = Buffer.from(coinbaseHash);
  if (branch.length === 0) return root;
  const pair = Buffer.allocUnsafe(64);
  for (const hash of branch) {
    pair.set(root, 0);
    pair.set(hash, 32);
    root = sha256d(pair);
  }
  return root;
}

/** The merkle root (header order) of a job's block for one extranonce1/extranonce2. */
export function sv1MerkleRoot(
  job: StratumV1Job | PreparedSv1Job,
  extranonce1: string | Uint8Array,
  extranonce2: string | Uint8Array,
): Buffer {
  const ready = prepared(job);
  return merkleRootFromBranch(
    sha256d(buildCoinbase(ready, extranonce1, extranonce2)),
    ready.merkleBranch,
  );
}

/** BIP 310: the header version for submitted `versionBits` under `mask`. */
export function rollVersion(jobVersion: number, versionBits: number, mask: number): number {
  return ((jobVersion & ~mask) | (versionBits & mask)) >>> 0;
}

/** Writes the 80-byte header into `out` (at offset 0) and returns `out`. */
export function writeSv1Header(out: Buffer, fields: Sv1HeaderFields): Buffer {
  if (out.length < 80) throw new RangeError('a header needs 80 bytes');
  if (fields.prevHash.length !== 32 || fields.merkleRoot.length !== 32) {
    throw new RangeError('prevhash and merkle root are 32 bytes');
  }
  out.writeUInt32LE(fields.version >>> 0, 0);
  out.set(fields.prevHash, 4);
  out.set(fields.merkleRoot, 36);
  out.writeUInt32LE(fields.ntime >>> 0, 68);
  out.writeUInt32LE(fields.nbits >>> 0, 72);
  out.writeUInt32LE(fields.nonce >>> 0, 76);
  return out;
}

/** A new 80-byte header. */
export function buildSv1Header(fields: Sv1HeaderFields): Buffer {
  return writeSv1Header(Buffer.allocUnsafe(80), fields);
}

/** A hash read as a little-endian 256-bit number. */
export function hashToBigInt(hash: Uint8Array): bigint {
  return BigInt(`0x${Buffer.from(hash).reverse().toString('hex') || '0'}`);
}

const MAX_TARGET = (1n << 256n) - 1n;

/**
 * `floor(DIFF1_TARGET / difficulty)`, exactly: a double is `m / 2^k` with integer `m`, so the
 * division is done in integers. (`difficultyToTarget` of the TT-Miner simulator rounds the
 * difficulty to 1e-8 first, which moves the target of `1/65536` by 0.01 % and of `2^-24` by
 * 0.7 %: a share an exact miner or proxy accepts would be refused here.)
 */
export function difficultyToExactTarget(difficulty: number): bigint {
  if (!(difficulty > 0) || !Number.isFinite(difficulty)) throw new RangeError('bad difficulty');
  let scaled = difficulty;
  let shift = 0n;
  // At most 1074 doublings for the smallest subnormal; typical difficulties need a few.
  while (!Number.isInteger(scaled)) {
    scaled *= 2;
    shift += 1n;
  }
  const target = (DIFF1_TARGET << shift) / BigInt(scaled);
  return target > MAX_TARGET ? MAX_TARGET : target;
}

/** The share target of `difficulty` (fractional allowed; see {@link difficultyToExactTarget}). */
export function sv1Target(difficulty: number): Sv1Target {
  const value = difficultyToExactTarget(difficulty);
  return { difficulty, value, top32: Number(value >> TOP_SHIFT) };
}

/** Whether `hash` (little-endian 256-bit) is at or below the target. */
export function hashMeetsTarget(hash: Buffer, target: Sv1Target): boolean {
  // The most significant 32 bits are the last four bytes; only a tie needs the full number.
  const top = hash.readUInt32LE(28);
  if (top !== target.top32) return top < target.top32;
  return hashToBigInt(hash) <= target.value;
}

/**
 * Builds the header of a submitted share and checks its SHA-256d against the target. The
 * fields must be well-formed hex (a `RangeError` otherwise; a pool checks formats first to
 * answer with the right error code).
 */
export function verifySv1Share(
  job: StratumV1Job | PreparedSv1Job,
  submission: Sv1Submission,
  context: Sv1VerifyContext,
): Sv1Verdict {
  const ready = prepared(job);
  const version =
    submission.versionBits !== undefined && context.versionMask !== undefined
      ? rollVersion(ready.version, parseHex32(submission.versionBits), context.versionMask)
      : ready.version;
  const header = buildSv1Header({
    version,
    prevHash: ready.prevHash,
    merkleRoot: sv1MerkleRoot(ready, context.extranonce1, submission.extranonce2),
    ntime: parseHex32(submission.ntime),
    nbits: ready.nbits,
    nonce: parseHex32(submission.nonce),
  });
  const hash = sha256d(header);
  return { valid: hashMeetsTarget(hash, context.target), hash };
}
