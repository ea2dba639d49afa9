import type { StratumV1Job } from '../ttminer/stratum-v1-job.js';
import { sha256d } from './sha256d.js';
import {
  buildSv1Header,
  formatHex32,
  hashToBigInt,
  type PreparedSv1Job,
  prepareSv1Job,
  rollVersion,
  type Sv1Submission,
  type Sv1Target,
  sv1MerkleRoot,
  sv1Target,
} from './sv1-share.js';

/** What a miner hashes: a job, the connection's extranonce1, its own extranonce2, a difficulty. */
export interface Sv1Work {
  job: StratumV1Job | PreparedSv1Job;
  /** Hex, from the pool. */
  extranonce1: string;
  /** Hex, `extranonce2_size` bytes, chosen by the miner. */
  extranonce2: string;
  /** Share difficulty (fractional allowed, e.g. `1 / 65536`). */
  difficulty: number;
  /** BIP 310: the version bits to roll into the header, with the negotiated mask. */
  versionBits?: number;
  versionMask?: number;
}

/** A share that meets the work's target: the `mining.submit` fields, plus what was hashed. */
export interface FoundSv1Share extends Sv1Submission {
  jobId: string;
  /** The header hash (internal order). */
  hash: Buffer;
  /** The nonce as a number (also in `nonce` as 8 hex digits). */
  nonceValue: number;
}

const NONCE_LIMIT = 2 ** 32;

const isPrepared = (job: StratumV1Job | PreparedSv1Job): job is PreparedSv1Job =>
  typeof job.coinb1 !== 'string';

/**
 * One extranonce2's nonce space, ready to hash: the coinbase, merkle root and the 80-byte header
 * are built once; {@link search} only rewrites the nonce (the header's last four bytes) and
 * hashes. This is the inner loop of the simulated miner.
 */
export class Sv1NonceSearch {
  readonly #header: Buffer;
  readonly #jobId: string;
  readonly #ntime: string;
  readonly #extranonce2: string;
  readonly #versionBits: string | undefined;
  #target: Sv1Target;
  #lastHash: Buffer | undefined;
  /** Hashes done by the last {@link search} call. */
  lastHashes = 0;

  constructor(work: Sv1Work) {
    const job = isPrepared(work.job) ? work.job : prepareSv1Job(work.job);
    const rolling = work.versionBits !== undefined && work.versionMask !== undefined;
    const version = rolling
      ? rollVersion(job.version, work.versionBits ?? 0, work.versionMask ?? 0)
      : job.version;
    this.#header = buildSv1Header({
      version,
      prevHash: job.prevHash,
      merkleRoot: sv1MerkleRoot(job, work.extranonce1, work.extranonce2),
      ntime: job.ntime,
      nbits: job.nbits,
      nonce: 0,
    });
    this.#jobId = job.job.jobId;
    this.#ntime = job.job.ntime;
    this.#extranonce2 = work.extranonce2;
    this.#versionBits = rolling ? formatHex32(version & (work.versionMask ?? 0)) : undefined;
    this.#target = sv1Target(work.difficulty);
  }

  /** The difficulty changed (the header stays: same job, same extranonce). */
  setDifficulty(difficulty: number): void {
    this.#target = sv1Target(difficulty);
  }

  /**
   * Hashes nonces `start`, `start + 1`, … (at most `count`, never past 2^32 − 1). Returns the
   * first nonce whose hash meets the target, or −1; {@link lastHashes} says how many were tried.
   */
  search(start: number, count: number): number {
    const header = this.#header;
    const { top32, value } = this.#target;
    const end = Math.min(start + count, NONCE_LIMIT);
    for (let nonce = start; nonce < end; nonce++) {
      header.writeUInt32LE(nonce, 76);
      const hash = sha256d(header);
      const top = hash.readUInt32LE(28);
      if (top > top32) continue;
      // A tie on the top 32 bits needs the whole number (rare except at difficulty ≤ 1).
      if (top === top32 && hashToBigInt(hash) > value) continue;
      this.#lastHash = hash;
      this.lastHashes = nonce - start + 1;
      return nonce;
    }
    this.lastHashes = Math.max(0, end - start);
    return -1;
  }

  /** The share for a nonce {@link search} returned. */
  share(nonce: number): FoundSv1Share {
    const hash = this.#lastHash;
    if (hash === undefined) throw new RangeError('no share found yet');
    return {
      jobId: this.#jobId,
      extranonce2: this.#extranonce2,
      ntime: this.#ntime,
      nonce: formatHex32(nonce),
      nonceValue: nonce,
      ...(this.#versionBits === undefined ? {} : { versionBits: this.#versionBits }),
      hash,
    };
  }
}

/** Where {@link findSv1Share} starts and how much it may hash. */
export interface FindSv1ShareOptions {
  /** First nonce (default 0). */
  startNonce?: number;
  /** Most hashes to try (default: to the end of the nonce space). */
  maxHashes?: number;
}

/**
 * Hashes `work`'s headers from `startNonce` on and returns the first real share (SHA-256d at
 * or below `DIFF1_TARGET / difficulty`), or `undefined` when the budget runs out first.
 */
export function findSv1Share(
  work: Sv1Work,
  options: FindSv1ShareOptions = {},
): FoundSv1Share | undefined {
  const search = new Sv1NonceSearch(work);
  const start = options.startNonce ?? 0;
  const nonce = search.search(start, options.maxHashes ?? NONCE_LIMIT - start);
  return nonce === -1 ? undefined : search.share(nonce);
}
