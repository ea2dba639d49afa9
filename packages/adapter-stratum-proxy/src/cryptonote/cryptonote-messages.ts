import { cleanString, isObject } from '../wire/value-checks.js';

/**
 * Validators for the CryptoNote (xmrig) stratum dialect. They run on every line, so they are
 * plain checks rather than schemas. Each returns the parsed value or a string: the reason,
 * short and safe for a log line and the error reply (never the rejected value itself, which
 * could be a password).
 */

/** `login` params from a miner. */
export interface CnLogin {
  login: string;
  pass: string;
  agent?: string;
  rigid?: string;
  algo?: string[];
}

/** `submit` params from a miner. */
export interface CnSubmit {
  /** The session id the proxy gave the miner at login. */
  id: string;
  jobId: string;
  /** 8 lowercase hex digits: 4 bytes, little-endian. */
  nonce: string;
  /** 64 lowercase hex digits. */
  result: string;
  algo?: string;
}

/** A job from a pool, in a login result or a `job` notification. */
export interface CnJob {
  blob: string;
  jobId: string;
  /** 8 or 16 hex digits. */
  target: string;
  algo?: string;
  height?: number;
  seedHash?: string;
  /** The object as received, so fields the proxy does not know still reach the miner. */
  raw: Record<string, unknown>;
}

/** The `result` of a pool's answer to `login`. */
export interface CnLoginResult {
  /** Session id to send back with every submit and keepalived. */
  id: string;
  job: CnJob;
  extensions: string[];
  status?: string;
}

/** A JSON-RPC error object as xmrig expects it. */
export interface CnError {
  code: number;
  message: string;
}

const MAX_LOGIN = 512;
const MAX_PASS = 256;
const MAX_AGENT = 256;
const MAX_RIGID = 64;
const MAX_ALGOS = 64;
const MAX_ALGO = 32;
const MAX_ID = 128;
const MIN_BLOB_HEX = 86; // must reach byte 42, the NiceHash byte
const MAX_BLOB_HEX = 4096;
const MAX_EXTENSIONS = 32;

const PRINTABLE_ID = /^[\x21-\x7e]+$/;
const HEX8 = /^[0-9a-fA-F]{8}$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const TARGET = /^(?:[0-9a-fA-F]{8}|[0-9a-fA-F]{16})$/;
const HEX = /^[0-9a-fA-F]*$/;

function checkAlgo(value: unknown): string | undefined {
  return typeof value === 'string' && value.length >= 1 ? cleanString(value, MAX_ALGO) : undefined;
}

/** Validates `login` params: `{ login, pass, agent?, rigid?, algo? }`. */
export function parseCnLogin(params: unknown): CnLogin | string {
  if (!isObject(params)) return 'login params must be an object';
  const login = cleanString(params.login, MAX_LOGIN);
  if (login === undefined || login.length === 0) {
    return `login must be a string of 1 to ${MAX_LOGIN} characters`;
  }
  let pass = '';
  if (params.pass !== undefined && params.pass !== null) {
    const checked = cleanString(params.pass, MAX_PASS);
    if (checked === undefined) return `pass must be a string of at most ${MAX_PASS} characters`;
    pass = checked;
  }
  const out: CnLogin = { login, pass };
  if (params.agent !== undefined && params.agent !== null) {
    const agent = cleanString(params.agent, MAX_AGENT);
    if (agent === undefined) return `agent must be a string of at most ${MAX_AGENT} characters`;
    out.agent = agent;
  }
  if (params.rigid !== undefined && params.rigid !== null) {
    const rigid = cleanString(params.rigid, MAX_RIGID);
    if (rigid === undefined) return `rigid must be a string of at most ${MAX_RIGID} characters`;
    out.rigid = rigid;
  }
  if (params.algo !== undefined && params.algo !== null) {
    const list = params.algo;
    if (!Array.isArray(list) || list.length > MAX_ALGOS) {
      return `algo must be an array of at most ${MAX_ALGOS} names`;
    }
    const algo: string[] = [];
    for (const item of list) {
      const name = checkAlgo(item);
      if (name === undefined) return `algo names must be 1 to ${MAX_ALGO} characters`;
      algo.push(name);
    }
    out.algo = algo;
  }
  return out;
}

/** Validates `submit` params: `{ id, job_id, nonce, result, algo? }`; hex is lowercased. */
export function parseCnSubmit(params: unknown): CnSubmit | string {
  if (!isObject(params)) return 'submit params must be an object';
  const { id, job_id: jobId, nonce, result } = params;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID || !PRINTABLE_ID.test(id)) {
    return 'id must be the session id';
  }
  if (
    typeof jobId !== 'string' ||
    jobId.length === 0 ||
    jobId.length > MAX_ID ||
    !PRINTABLE_ID.test(jobId)
  ) {
    return 'job_id must be a job id';
  }
  if (typeof nonce !== 'string' || !HEX8.test(nonce)) return 'nonce must be 8 hex digits';
  if (typeof result !== 'string' || !HEX64.test(result)) return 'result must be 64 hex digits';
  const out: CnSubmit = {
    id,
    jobId,
    nonce: nonce.toLowerCase(),
    result: result.toLowerCase(),
  };
  if (params.algo !== undefined && params.algo !== null) {
    const algo = checkAlgo(params.algo);
    if (algo === undefined) return `algo must be 1 to ${MAX_ALGO} characters`;
    out.algo = algo;
  }
  return out;
}

/** Validates a pool job: `{ blob, job_id, target, algo?, height?, seed_hash?, … }`. */
export function parseCnJob(value: unknown): CnJob | string {
  if (!isObject(value)) return 'job must be an object';
  const { blob, job_id: jobId, target } = value;
  if (
    typeof blob !== 'string' ||
    blob.length < MIN_BLOB_HEX ||
    blob.length > MAX_BLOB_HEX ||
    blob.length % 2 !== 0 ||
    !HEX.test(blob)
  ) {
    return `blob must be even-length hex of ${MIN_BLOB_HEX} to ${MAX_BLOB_HEX} digits`;
  }
  if (
    typeof jobId !== 'string' ||
    jobId.length === 0 ||
    jobId.length > MAX_ID ||
    !PRINTABLE_ID.test(jobId)
  ) {
    return `job_id must be 1 to ${MAX_ID} printable characters`;
  }
  if (typeof target !== 'string' || !TARGET.test(target))
    return 'target must be 8 or 16 hex digits';
  const job: CnJob = { blob, jobId, target, raw: value };
  if (value.algo !== undefined && value.algo !== null) {
    const algo = checkAlgo(value.algo);
    if (algo === undefined) return `algo must be 1 to ${MAX_ALGO} characters`;
    job.algo = algo;
  }
  if (value.height !== undefined && value.height !== null) {
    if (!Number.isSafeInteger(value.height) || (value.height as number) < 0) {
      return 'height must be a non-negative integer';
    }
    job.height = value.height as number;
  }
  if (value.seed_hash !== undefined && value.seed_hash !== null) {
    if (typeof value.seed_hash !== 'string' || !HEX64.test(value.seed_hash)) {
      return 'seed_hash must be 64 hex digits';
    }
    job.seedHash = value.seed_hash;
  }
  return job;
}

/** Validates a pool's login `result`: `{ id, job, extensions?, status? }`. */
export function parseCnLoginResult(value: unknown): CnLoginResult | string {
  if (!isObject(value)) return 'login result must be an object';
  const { id } = value;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID || !PRINTABLE_ID.test(id)) {
    return 'login result id must be a session id';
  }
  const job = parseCnJob(value.job);
  if (typeof job === 'string') return job;
  const extensions: string[] = [];
  if (value.extensions !== undefined && value.extensions !== null) {
    const list = value.extensions;
    if (!Array.isArray(list) || list.length > MAX_EXTENSIONS) {
      return `extensions must be an array of at most ${MAX_EXTENSIONS} names`;
    }
    for (const item of list) {
      const name = checkAlgo(item);
      if (name === undefined) return 'extensions must be short strings';
      extensions.push(name);
    }
  }
  const out: CnLoginResult = { id, job, extensions };
  const status = cleanString(value.status, 64);
  if (status !== undefined) out.status = status;
  return out;
}

/**
 * Sets blob byte 42, the top byte of the nonce (bytes 39–42), which NiceHash-aware miners
 * leave alone: giving each miner its own byte splits the nonce space between them.
 */
export function withNiceHashByte(blob: string, byte: number): string {
  const hex = (byte & 0xff).toString(16).padStart(2, '0');
  return blob.slice(0, 84) + hex + blob.slice(86);
}

/** The top byte of a submitted nonce (4 bytes little-endian, so hex digits 6–7). */
export function nonceTopByte(nonce: string): number {
  return Number.parseInt(nonce.slice(6, 8), 16);
}

/** An error object for a reply to a miner. */
export function cnError(message: string, code = -1): CnError {
  return { code, message };
}
