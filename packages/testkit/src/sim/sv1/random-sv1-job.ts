import { randomBytes } from 'node:crypto';
import type { StratumV1Job } from '../ttminer/stratum-v1-job.js';
import { formatHex32 } from './sv1-share.js';

/** What {@link randomSv1Job} makes a job for. */
export interface RandomSv1JobOptions {
  jobId: string;
  /** Block height written into the coinbase script (BIP 34). */
  height: number;
  extranonce1Size: number;
  extranonce2Size: number;
  cleanJobs: boolean;
  /** Unix seconds (default: now). */
  ntime?: number;
  /** Default `20000000` (BIP 9 top bits). */
  version?: string;
  /** Default `1703a30c`. */
  nbits?: string;
}

/** `value` as `bytes` little-endian bytes, in hex (up to 8 bytes). */
const le = (value: number, bytes: number) => {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(BigInt(value));
  return buffer.subarray(0, bytes).toString('hex');
};

/**
 * A fresh `mining.notify` job with random contents shaped like a real one: a random prevhash, a
 * coinbase transaction whose input script holds the height, a random tag and the extranonce
 * (coinb1 ends where it goes), one pay-to-pubkey-hash output, and a merkle branch of 2–4 random
 * hashes (a block of 3–16 transactions).
 */
export function randomSv1Job(options: RandomSv1JobOptions): StratumV1Job {
  const tag = randomBytes(8).toString('hex');
  const heightPush = `03${le(options.height % 0x1000000, 3)}`;
  const scriptBytes = 4 + 8 + options.extranonce1Size + options.extranonce2Size + 4;
  const coinb1 = `01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff${le(scriptBytes, 1)}${heightPush}${tag}`;
  const coinb2 = `${randomBytes(4).toString('hex')}ffffffff01${le(625_000_000, 8)}1976a914${randomBytes(20).toString('hex')}88ac00000000`;
  const branchLength = 2 + ((randomBytes(1)[0] ?? 0) % 3);
  return {
    jobId: options.jobId,
    prevHash: randomBytes(32).toString('hex'),
    coinb1,
    coinb2,
    merkleBranch: Array.from({ length: branchLength }, () => randomBytes(32).toString('hex')),
    version: options.version ?? '20000000',
    nbits: options.nbits ?? '1703a30c',
    ntime: formatHex32(options.ntime ?? Math.floor(Date.now() / 1000)),
    cleanJobs: options.cleanJobs,
  };
}

/** A job as `mining.notify` params. */
export function sv1NotifyParams(job: StratumV1Job): unknown[] {
  return [
    job.jobId,
    job.prevHash,
    job.coinb1,
    job.coinb2,
    job.merkleBranch,
    job.version,
    job.nbits,
    job.ntime,
    job.cleanJobs,
  ];
}
