import { cleanString, isObject } from '../wire/value-checks.js';

/**
 * Validators for Bitcoin Stratum V1. They run on every line, so they are plain checks rather
 * than schemas. Each returns the parsed value or a string: the reason, short and safe for a
 * log line and the error reply (never the rejected value, which could be a password).
 */

/** Error codes of Stratum V1 error tuples. */
export const SV1_ERROR = {
  OTHER: 20,
  JOB_NOT_FOUND: 21,
  DUPLICATE: 22,
  LOW_DIFFICULTY: 23,
  UNAUTHORIZED: 24,
  NOT_SUBSCRIBED: 25,
} as const;

/** An error tuple `[code, message, data]`. */
export type Sv1ErrorTuple = [code: number, message: string, data: null];

/** `mining.subscribe` params from a miner. */
export interface Sv1Subscribe {
  userAgent?: string;
  /** A session the miner asks to resume; proxies may ignore it. */
  sessionId?: string;
}

/** `mining.authorize` params. */
export interface Sv1Authorize {
  user: string;
  pass: string;
}

/** `mining.submit` params; hex is lowercased. */
export interface Sv1Submit {
  worker: string;
  jobId: string;
  extranonce2: string;
  /** 8 hex digits. */
  ntime: string;
  /** 8 hex digits. */
  nonce: string;
  /** 8 hex digits, with version rolling. */
  versionBits?: string;
}

/** `mining.configure` params. */
export interface Sv1Configure {
  extensions: string[];
  params: Record<string, unknown>;
}

/** The extranonce a pool assigns (subscribe result or `mining.set_extranonce`). */
export interface Sv1Extranonce {
  /** Lowercase hex, 0–16 bytes. */
  extranonce1: string;
  /** Bytes of extranonce2 the miner rolls, 1–16. */
  extranonce2Size: number;
}

/** `mining.notify` params: the job id and clean flag, plus the 9 fields as sent. */
export interface Sv1Notify {
  jobId: string;
  clean: boolean;
  params: unknown[];
}

/** `client.reconnect` params; all optional (empty means "same pool, now"). */
export interface Sv1Reconnect {
  host?: string;
  port?: number;
  waitSeconds?: number;
}

const MAX_PARAMS = 16;
const MAX_USER = 512;
const MAX_PASS = 256;
const MAX_AGENT = 256;
const MAX_SESSION = 64;
const MAX_JOB_ID = 128;
const MAX_EXTRANONCE_BYTES = 16;
// Coinbase halves can be large (pools paying many outputs); the line limit bounds them anyway.
const MAX_COINBASE_HEX = 262_144;
const MAX_MERKLE_BRANCH = 32;
const MAX_EXTENSIONS = 16;
const MAX_EXTENSION = 64;
const MAX_CONFIGURE_KEYS = 32;
const MAX_HOST = 253;
const MAX_WAIT_SECONDS = 86_400;

const PRINTABLE_ID = /^[\x21-\x7e]+$/;
const HEX8 = /^[0-9a-fA-F]{8}$/;
const HEX64 = /^[0-9a-fA-F]{64}$/;
const HEX = /^(?:[0-9a-fA-F]{2})*$/;
const HOST = /^[A-Za-z0-9_.:[\]-]+$/;

/** Room for the tag the aggregate proxy puts in front of a pool's job id. */
const MAX_SUBMITTED_JOB_ID = MAX_JOB_ID + 16;

function isJobId(value: unknown, max = MAX_JOB_ID): value is string {
  return (
    typeof value === 'string' &&
    value.length >= 1 &&
    value.length <= max &&
    PRINTABLE_ID.test(value)
  );
}

function isHex(value: unknown, maxChars: number): value is string {
  return typeof value === 'string' && value.length <= maxChars && HEX.test(value);
}

/** Params as an array; a missing list is an empty one (some miners send no params). */
function list(params: unknown): unknown[] | string {
  if (params === undefined || params === null) return [];
  if (!Array.isArray(params)) return 'params must be an array';
  if (params.length > MAX_PARAMS) return 'too many params';
  return params;
}

/** `mining.subscribe` params: `[userAgent?, sessionId?, …]`. */
export function parseSv1Subscribe(params: unknown): Sv1Subscribe | string {
  const items = list(params);
  if (typeof items === 'string') return items;
  const out: Sv1Subscribe = {};
  const [agent, session] = items;
  if (agent !== undefined && agent !== null) {
    const checked = cleanString(agent, MAX_AGENT);
    if (checked === undefined)
      return `user agent must be a string of at most ${MAX_AGENT} characters`;
    out.userAgent = checked;
  }
  if (session !== undefined && session !== null) {
    if (
      typeof session !== 'string' ||
      session.length > MAX_SESSION ||
      !PRINTABLE_ID.test(session)
    ) {
      return 'session id must be a short printable string';
    }
    out.sessionId = session;
  }
  return out;
}

/** `mining.authorize` params: `[user, pass?]`. */
export function parseSv1Authorize(params: unknown): Sv1Authorize | string {
  const items = list(params);
  if (typeof items === 'string') return items;
  const user = cleanString(items[0], MAX_USER);
  if (user === undefined || user.length === 0) {
    return `user must be a string of 1 to ${MAX_USER} characters`;
  }
  let pass = '';
  if (items[1] !== undefined && items[1] !== null) {
    const checked = cleanString(items[1], MAX_PASS);
    if (checked === undefined) return `password must be a string of at most ${MAX_PASS} characters`;
    pass = checked;
  }
  return { user, pass };
}

/** `mining.submit` params: `[worker, jobId, extranonce2, ntime, nonce, versionBits?]`. */
export function parseSv1Submit(params: unknown): Sv1Submit | string {
  const items = list(params);
  if (typeof items === 'string') return items;
  if (items.length < 5) return 'submit needs worker, job id, extranonce2, ntime and nonce';
  const [worker, jobId, extranonce2, ntime, nonce, versionBits] = items;
  const name = cleanString(worker, MAX_USER);
  if (name === undefined) return `worker must be a string of at most ${MAX_USER} characters`;
  if (!isJobId(jobId, MAX_SUBMITTED_JOB_ID)) {
    return `job id must be 1 to ${MAX_SUBMITTED_JOB_ID} printable characters`;
  }
  if (!isHex(extranonce2, MAX_EXTRANONCE_BYTES * 2) || extranonce2.length === 0) {
    return 'extranonce2 must be hex bytes';
  }
  if (typeof ntime !== 'string' || !HEX8.test(ntime)) return 'ntime must be 8 hex digits';
  if (typeof nonce !== 'string' || !HEX8.test(nonce)) return 'nonce must be 8 hex digits';
  const out: Sv1Submit = {
    worker: name,
    jobId,
    extranonce2: extranonce2.toLowerCase(),
    ntime: ntime.toLowerCase(),
    nonce: nonce.toLowerCase(),
  };
  if (versionBits !== undefined && versionBits !== null) {
    if (typeof versionBits !== 'string' || !HEX8.test(versionBits)) {
      return 'version bits must be 8 hex digits';
    }
    out.versionBits = versionBits.toLowerCase();
  }
  return out;
}

/** `mining.configure` params: `[extensions, params]`. */
export function parseSv1Configure(params: unknown): Sv1Configure | string {
  const items = list(params);
  if (typeof items === 'string') return items;
  const [names, options] = items;
  if (!Array.isArray(names) || names.length > MAX_EXTENSIONS) {
    return `extensions must be an array of at most ${MAX_EXTENSIONS} names`;
  }
  const extensions: string[] = [];
  for (const name of names) {
    const checked = cleanString(name, MAX_EXTENSION);
    if (checked === undefined || checked.length === 0)
      return 'extension names must be short strings';
    extensions.push(checked);
  }
  if (options === undefined || options === null) return { extensions, params: {} };
  if (!isObject(options)) return 'configure params must be an object';
  if (Object.keys(options).length > MAX_CONFIGURE_KEYS) return 'too many configure params';
  return { extensions, params: options };
}

function extranonce(en1: unknown, size: unknown): Sv1Extranonce | string {
  if (!isHex(en1, MAX_EXTRANONCE_BYTES * 2)) return 'extranonce1 must be hex of at most 16 bytes';
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_EXTRANONCE_BYTES) {
    return 'extranonce2_size must be an integer from 1 to 16';
  }
  return { extranonce1: en1.toLowerCase(), extranonce2Size: size as number };
}

/** The pool's `mining.subscribe` result: `[subscriptions, extranonce1, extranonce2_size]`. */
export function parseSv1SubscribeResult(result: unknown): Sv1Extranonce | string {
  if (!Array.isArray(result) || result.length < 3) {
    return 'subscribe result must be [subscriptions, extranonce1, extranonce2_size]';
  }
  return extranonce(result[1], result[2]);
}

/**
 * `mining.notify` params: `[jobId, prevhash, coinb1, coinb2, merkleBranch, version, nbits,
 * ntime, cleanJobs]`. The array is returned as received so it can be forwarded unchanged.
 */
export function parseSv1Notify(params: unknown): Sv1Notify | string {
  if (!Array.isArray(params) || params.length < 9 || params.length > MAX_PARAMS) {
    return 'notify needs 9 params';
  }
  const [jobId, prevhash, coinb1, coinb2, branch, version, nbits, ntime, clean] = params;
  if (!isJobId(jobId)) return 'job id must be 1 to 128 printable characters';
  if (typeof prevhash !== 'string' || !HEX64.test(prevhash))
    return 'prevhash must be 64 hex digits';
  if (!isHex(coinb1, MAX_COINBASE_HEX)) return 'coinb1 must be hex';
  if (!isHex(coinb2, MAX_COINBASE_HEX)) return 'coinb2 must be hex';
  if (!Array.isArray(branch) || branch.length > MAX_MERKLE_BRANCH) {
    return `merkle branch must be an array of at most ${MAX_MERKLE_BRANCH} hashes`;
  }
  for (const hash of branch) {
    if (typeof hash !== 'string' || !HEX64.test(hash)) return 'merkle hashes must be 64 hex digits';
  }
  if (typeof version !== 'string' || !HEX8.test(version)) return 'version must be 8 hex digits';
  if (typeof nbits !== 'string' || !HEX8.test(nbits)) return 'nbits must be 8 hex digits';
  if (typeof ntime !== 'string' || !HEX8.test(ntime)) return 'ntime must be 8 hex digits';
  if (typeof clean !== 'boolean') return 'clean_jobs must be a boolean';
  return { jobId, clean, params };
}

/** `mining.set_difficulty` params: `[difficulty]`, a finite number above 0. */
export function parseSv1SetDifficulty(params: unknown): number | string {
  if (!Array.isArray(params) || params.length < 1) return 'set_difficulty needs a difficulty';
  const difficulty = params[0];
  if (typeof difficulty !== 'number' || !Number.isFinite(difficulty) || difficulty <= 0) {
    return 'difficulty must be a positive number';
  }
  return difficulty;
}

/** `mining.set_extranonce` params: `[extranonce1, extranonce2_size]`. */
export function parseSv1SetExtranonce(params: unknown): Sv1Extranonce | string {
  if (!Array.isArray(params) || params.length < 2) {
    return 'set_extranonce needs extranonce1 and extranonce2_size';
  }
  return extranonce(params[0], params[1]);
}

/** `client.reconnect` params: `[host?, port?, waitSeconds?]`. */
export function parseSv1Reconnect(params: unknown): Sv1Reconnect | string {
  const items = list(params);
  if (typeof items === 'string') return items;
  const [host, port, wait] = items;
  const out: Sv1Reconnect = {};
  if (host !== undefined && host !== null && host !== '') {
    if (typeof host !== 'string' || host.length > MAX_HOST || !HOST.test(host)) {
      return 'host must be a host name or address';
    }
    out.host = host;
  }
  if (port !== undefined && port !== null && port !== '') {
    // Some pools send the port as a string.
    const number = typeof port === 'string' && /^\d{1,5}$/.test(port) ? Number(port) : port;
    if (!Number.isInteger(number) || (number as number) < 1 || (number as number) > 65_535) {
      return 'port must be an integer from 1 to 65535';
    }
    out.port = number as number;
  }
  if (wait !== undefined && wait !== null) {
    if (typeof wait !== 'number' || !Number.isFinite(wait) || wait < 0 || wait > MAX_WAIT_SECONDS) {
      return `wait must be 0 to ${MAX_WAIT_SECONDS} seconds`;
    }
    out.waitSeconds = wait;
  }
  return out;
}

/** An error tuple for a reply: `[code, message, null]`. */
export function sv1Error(code: number, message: string): Sv1ErrorTuple {
  return [code, message, null];
}
