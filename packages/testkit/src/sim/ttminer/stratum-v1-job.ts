/** A `mining.notify` job (Bitcoin Stratum V1), fields as the pool sent them (hex text). */
export interface StratumV1Job {
  jobId: string;
  /** 32 bytes, in the word order the pool sends. */
  prevHash: string;
  coinb1: string;
  coinb2: string;
  merkleBranch: string[];
  /** 4 bytes each, big-endian hex. */
  version: string;
  nbits: string;
  ntime: string;
  cleanJobs: boolean;
}

/** The extranonce a pool gives a connection (`mining.subscribe` result, `mining.set_extranonce`). */
export interface Extranonce {
  /** Hex; the pool's part of the coinbase nonce. */
  extranonce1: string;
  /** Bytes of the miner's part (extranonce2). */
  extranonce2Size: number;
}

/** Hashes per share at Stratum V1 difficulty 1 (SHA-256d: difficulty 1 is 2^32 hashes). */
export const HASHES_PER_DIFF1 = 2 ** 32;

/** The difficulty-1 target of Bitcoin Stratum V1: `0x00000000ffff0000…` (0xffff × 2^208). */
export const DIFF1_TARGET = 0xffffn << 208n;

const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const HEX8 = /^[0-9a-fA-F]{8}$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const JOB_ID = /^[\x21-\x7e]{1,128}$/;
/** Longest coinbase part accepted (bytes × 2). */
const MAX_COINBASE_HEX = 200_000;
const MAX_MERKLE_BRANCH = 64;

const isHex = (value: unknown, max = MAX_COINBASE_HEX): value is string =>
  typeof value === 'string' && value.length <= max && HEX.test(value);

/**
 * Checks the nine `mining.notify` params: `[job_id, prevhash, coinb1, coinb2, merkle_branch,
 * version, nbits, ntime, clean_jobs]`. Returns the job, or why it is unusable (for a log line).
 */
export function parseStratumV1Notify(params: unknown): StratumV1Job | string {
  if (!Array.isArray(params) || params.length < 9) return 'mining.notify needs 9 params';
  const [jobId, prevHash, coinb1, coinb2, branch, version, nbits, ntime, clean] = params;
  if (typeof jobId !== 'string' || !JOB_ID.test(jobId)) return 'bad job_id';
  if (typeof prevHash !== 'string' || !HEX64.test(prevHash)) return 'bad prevhash';
  if (!isHex(coinb1) || !isHex(coinb2)) return 'bad coinbase';
  if (
    !Array.isArray(branch) ||
    branch.length > MAX_MERKLE_BRANCH ||
    !branch.every((hash) => typeof hash === 'string' && HEX64.test(hash))
  ) {
    return 'bad merkle_branch';
  }
  for (const [name, value] of [
    ['version', version],
    ['nbits', nbits],
    ['ntime', ntime],
  ] as const) {
    if (typeof value !== 'string' || !HEX8.test(value)) return `bad ${name}`;
  }
  if (typeof clean !== 'boolean') return 'bad clean_jobs';
  return {
    jobId,
    prevHash,
    coinb1,
    coinb2,
    merkleBranch: branch as string[],
    version: version as string,
    nbits: nbits as string,
    ntime: ntime as string,
    cleanJobs: clean,
  };
}

/** `[extranonce1, extranonce2_size]` (from `set_extranonce` params or the subscribe result's tail). */
export function parseExtranonce(extranonce1: unknown, size: unknown): Extranonce | undefined {
  if (!isHex(extranonce1, 64)) return undefined;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 16) {
    return undefined;
  }
  return { extranonce1: extranonce1.toLowerCase(), extranonce2Size: size };
}

/** The `mining.subscribe` result `[subscriptions, extranonce1, extranonce2_size]`. */
export function parseSubscribeResult(result: unknown): Extranonce | undefined {
  if (!Array.isArray(result) || result.length < 3) return undefined;
  return parseExtranonce(result[1], result[2]);
}

/** The `mining.set_difficulty` params `[difficulty]`: a number above 0. */
export function parseDifficulty(params: unknown): number | undefined {
  const value = Array.isArray(params) ? params[0] : undefined;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Where `client.reconnect [host?, port?, wait_seconds?]` sends the miner. */
export interface Reconnect {
  host: string;
  port: number;
  /** Seconds to wait before connecting (at most an hour). */
  waitSeconds: number;
}

/**
 * Reads `client.reconnect` params; a missing host or port means the current one. Returns
 * `undefined` for values that are not a usable host, port or wait.
 */
export function parseReconnect(
  params: unknown,
  current: { host: string; port: number },
): Reconnect | undefined {
  const list = Array.isArray(params) ? params : [];
  const [host, port, wait] = list;
  const newHost = host === undefined || host === null || host === '' ? current.host : host;
  if (typeof newHost !== 'string' || newHost.length > 255 || !/^[^\s/@]+$/.test(newHost)) {
    return undefined;
  }
  const portNumber =
    port === undefined || port === null || port === ''
      ? current.port
      : typeof port === 'string' && /^\d{1,5}$/.test(port)
        ? Number(port)
        : port;
  if (
    typeof portNumber !== 'number' ||
    !Number.isInteger(portNumber) ||
    portNumber < 1 ||
    portNumber > 65_535
  ) {
    return undefined;
  }
  const waitNumber = wait === undefined || wait === null ? 0 : Number(wait);
  if (!Number.isFinite(waitNumber) || waitNumber < 0) return undefined;
  return { host: newHost, port: portNumber, waitSeconds: Math.min(waitNumber, 3600) };
}

/**
 * The share target of a Stratum V1 difficulty: `DIFF1_TARGET / difficulty` (a hash at or below
 * it, read as a 256-bit little-endian number, is a share). For a real share finder.
 */
export function difficultyToTarget(difficulty: number): bigint {
  if (!(difficulty > 0) || !Number.isFinite(difficulty)) throw new RangeError('bad difficulty');
  // Scale to keep fractional difficulties exact enough: 1e-8 resolution.
  const scaled = BigInt(Math.round(difficulty * 1e8));
  return scaled === 0n ? (1n << 256n) - 1n : (DIFF1_TARGET * 100_000_000n) / scaled;
}

const SUFFIXES = ['K', 'M', 'G', 'T', 'P'] as const;

/**
 * A difficulty as the canonical TT-Miner lines print it: below 1000 as a plain decimal
 * (`0.0005`, `16`, `999`), from 1000 on with two decimals and a K/M/G/T/P suffix (`1024` →
 * `1.02K`, `1.07G`). Never in exponent notation, which a parser would misread.
 */
export function formatDifficulty(difficulty: number): string {
  if (!Number.isFinite(difficulty) || difficulty <= 0) return '0';
  if (difficulty < 1000) {
    const text = difficulty.toFixed(10).replace(/\.?0+$/, '');
    return text === '' ? '0' : text;
  }
  let value = difficulty;
  let suffix = '';
  for (const next of SUFFIXES) {
    if (value < 1000) break;
    value /= 1000;
    suffix = next;
  }
  // 999.996 K rounds to "1000.00K"; say "1.00M" instead.
  if (Number(value.toFixed(2)) >= 1000 && suffix !== 'P') {
    value /= 1000;
    suffix = SUFFIXES[SUFFIXES.indexOf(suffix as (typeof SUFFIXES)[number]) + 1] as string;
  }
  return `${value.toFixed(2)}${suffix}`;
}
