import type { DeviceRow, Sample, ShareCounts } from '@rigkit/core';
import { getstat1Result } from './getstat1-result.js';
import { describe, Warnings } from './warnings.js';

/** Options of {@link parseMinerGetstat1}. */
export interface ParseMinerGetstat1Options {
  /** The algorithm TT-Miner was launched with (the answer does not say). */
  algo?: string;
  /**
   * The CUDA indexes TT-Miner was launched with (`-d`), in order: row `i` of the answer becomes
   * `gpu:<devices[i]>`. Without it rows are positional: `gpu:0`, `gpu:1`…
   */
  devices?: readonly number[];
  /** The reading's time, ms since the epoch. Default `Date.now()`. */
  now?: number;
}

/** Most entries read from one `;`-separated field, and most device rows per sample. */
export const MAX_GPUS = 64;

// Plausibility limits: beyond them a value is garbage, not a reading.
const MAX_RATE = Number.MAX_SAFE_INTEGER; // H/s
const MAX_COUNT = Number.MAX_SAFE_INTEGER;
const MAX_MINUTES = Math.floor(Number.MAX_SAFE_INTEGER / 60);
const MAX_TEMPERATURE_C = 200;
const MAX_FAN_PERCENT = 100;
const MAX_POWER_W = 10_000;

interface NumberRule {
  max: number;
  integer?: boolean;
}

const RATE: NumberRule = { max: MAX_RATE };
const COUNT: NumberRule = { max: MAX_COUNT, integer: true };

/**
 * Maps a `miner_getstat1` answer of TT-Miner to a core {@link Sample}, in H/s.
 *
 * Layout of `result` (all strings; TT-Miner reports **H/s**, unlike Claymore's kH/s):
 *
 * | index | content | used as |
 * | --- | --- | --- |
 * | 0 | `TT-Miner/<version>` | checked only |
 * | 1 | uptime in **minutes** | `uptimeSeconds` (× 60) |
 * | 2 | `total;accepted;rejected` | `hashrate`, `shares.accepted`, `shares.rejected` |
 * | 3 | per-GPU hashrates `h0;h1;…` | `devices[i].hashrate` |
 * | 4, 5 | secondary algorithm | ignored |
 * | 6 | `temp0;fan0;temp1;fan1;…` | `devices[i].temperatureC`, `fanPercent` |
 * | 7 | pool(s) `host:port`, `;`-separated | `pool` (the first) |
 * | 8 | `invalid;poolSwitches;…` | `shares.invalid` |
 * | 9 | `p0;p1;…` watts — optional, only some builds | `devices[i].powerW` (best effort) |
 *
 * The algorithm is not in the answer: it comes from `options.algo` (what was launched).
 * Device ids come from `options.devices` (`gpu:<CUDA index>`), else positional `gpu:<i>`.
 *
 * Throws only on an unusable answer (see `getstat1Result`): not JSON, not an array, an error
 * object → `E_API_RESPONSE` (`E_API_AUTH` for a password error). Anything surprising inside —
 * `off`, missing fields, short lists, wrong types, negative or absurd numbers — is left out
 * and named in `warnings` (bounded), never thrown and never quoted.
 */
export function parseMinerGetstat1(
  answer: unknown,
  options: ParseMinerGetstat1Options = {},
): Sample {
  const result = getstat1Result(answer);
  const warnings = new Warnings();
  const sample: Sample = { time: options.now ?? Date.now(), hashrate: undefined };

  checkName(result[0], warnings);

  const minutes = readField(result, 1, 'uptime', warnings, (value) =>
    readNumber(value, 'result.1 (uptime minutes)', warnings, { max: MAX_MINUTES }),
  );
  if (minutes !== undefined) sample.uptimeSeconds = minutes * 60;

  const totals = readList(result, 2, 'totals', warnings);
  let total: number | undefined;
  if (totals) {
    total = readNumber(totals[0], 'result.2 total hashrate', warnings, RATE);
    const accepted = readNumber(totals[1], 'result.2 accepted shares', warnings, COUNT);
    const rejected = readNumber(totals[2], 'result.2 rejected shares', warnings, COUNT);
    if (accepted !== undefined && rejected !== undefined) {
      const shares: ShareCounts = { accepted, rejected };
      const invalid = readInvalid(result, warnings);
      if (invalid !== undefined) shares.invalid = invalid;
      sample.shares = shares;
    }
  }

  const pool = readPool(result, warnings);
  if (pool !== undefined) sample.pool = pool;
  if (options.algo !== undefined && options.algo !== '') sample.algo = options.algo;

  const devices = readDevices(result, options.devices, warnings);
  if (devices.length > 0) sample.devices = devices;

  if (total === undefined) {
    const rates = devices.map((d) => d.hashrate).filter((h): h is number => h !== undefined);
    if (rates.length > 0) {
      total = rates.reduce((a, b) => a + b, 0);
      warnings.add('total hashrate missing: using the sum of the per-GPU hashrates');
    }
  }
  sample.hashrate = total;

  const list = warnings.list();
  if (list.length > 0) sample.warnings = list;
  return sample;
}

function checkName(value: unknown, warnings: Warnings): void {
  if (value === undefined) {
    warnings.add('result.0 (miner name): missing');
  } else if (typeof value !== 'string') {
    warnings.add(`result.0 (miner name): expected text, got ${describe(value)}`);
  } else if (!/^TT-?Miner/i.test(value.trim())) {
    warnings.add('result.0 (miner name): does not name TT-Miner');
  }
}

/** Reads field `index` with `read`, warning when the answer is too short to have it. */
function readField<T>(
  result: unknown[],
  index: number,
  name: string,
  warnings: Warnings,
  read: (value: unknown) => T | undefined,
): T | undefined {
  if (index >= result.length) {
    warnings.add(`result.${index} (${name}): missing`);
    return undefined;
  }
  return read(result[index]);
}

/**
 * Splits a `;`-separated field into its entries (at most {@link MAX_GPUS} × 2, enough for
 * temperature/fan pairs). A number counts as a one-entry list; an array is taken as entries.
 */
function readList(
  result: unknown[],
  index: number,
  name: string,
  warnings: Warnings,
  options: { optional?: boolean } = {},
): unknown[] | undefined {
  const path = `result.${index} (${name})`;
  if (index >= result.length || result[index] === undefined || result[index] === null) {
    if (!options.optional) warnings.add(`${path}: missing`);
    return undefined;
  }
  const value = result[index];
  let entries: unknown[];
  if (typeof value === 'string') entries = value.trim() === '' ? [] : value.split(';');
  else if (typeof value === 'number') entries = [value];
  else if (Array.isArray(value)) entries = value;
  else {
    if (!options.optional) {
      warnings.add(`${path}: expected ";"-separated text, got ${describe(value)}`);
    }
    return undefined;
  }
  const limit = MAX_GPUS * 2;
  if (entries.length > limit) {
    warnings.add(`${path}: ${entries.length} entries, only the first ${limit} read`);
    entries = entries.slice(0, limit);
  }
  return entries;
}

/**
 * One number ≥ 0 from a string (`"48"`, `"14683.5"`) or a JSON number. `off`, empty text,
 * other text, negative, fractional counts and values above `rule.max` are warned about and
 * give `undefined`.
 */
function readNumber(
  value: unknown,
  path: string,
  warnings: Warnings,
  rule: NumberRule,
): number | undefined {
  let n: number;
  if (value === undefined || value === null) {
    warnings.add(`${path}: missing`);
    return undefined;
  }
  if (typeof value === 'number') {
    n = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') {
      warnings.add(`${path}: empty`);
      return undefined;
    }
    if (/^off$/i.test(text)) {
      warnings.add(`${path}: off`);
      return undefined;
    }
    if (!/^-?\d{1,400}(?:\.\d{1,20})?$/.test(text)) {
      warnings.add(`${path}: expected a number, got text`);
      return undefined;
    }
    n = Number(text);
  } else {
    warnings.add(`${path}: expected a number, got ${describe(value)}`);
    return undefined;
  }
  if (!Number.isFinite(n) || n > rule.max) {
    warnings.add(`${path}: ${Number.isFinite(n) ? 'too large' : 'not a finite number'}`);
    return undefined;
  }
  if (n < 0) {
    warnings.add(`${path}: expected a number ≥ 0, got ${n}`);
    return undefined;
  }
  if (rule.integer && !Number.isInteger(n)) {
    warnings.add(`${path}: expected a whole number, got ${n}`);
    return undefined;
  }
  return n;
}

function readInvalid(result: unknown[], warnings: Warnings): number | undefined {
  const entries = readList(result, 8, 'invalid shares and pool switches', warnings);
  if (!entries || entries.length === 0) return undefined;
  return readNumber(entries[0], 'result.8 invalid shares', warnings, COUNT);
}

/** The first pool of field 7, without any `user@` part; `undefined` when unusable. */
function readPool(result: unknown[], warnings: Warnings): string | undefined {
  const entries = readList(result, 7, 'pool', warnings);
  if (!entries) return undefined;
  const first = entries.find((entry) => typeof entry !== 'string' || entry.trim() !== '');
  if (first === undefined) return undefined;
  if (typeof first !== 'string') {
    warnings.add(`result.7 (pool): expected text, got ${describe(first)}`);
    return undefined;
  }
  if (/^\s*off\s*$/i.test(first)) {
    warnings.add('result.7 (pool): off');
    return undefined;
  }
  // A credential must never travel from the answer into a sample.
  const pool = first.trim().slice(first.trim().lastIndexOf('@') + 1);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting them is the point.
  if (pool === '' || pool.length > 255 || /[\s\u0000-\u001f\u007f]/.test(pool)) {
    warnings.add('result.7 (pool): not a pool address');
    return undefined;
  }
  return pool;
}

function readDevices(
  result: unknown[],
  launched: readonly number[] | undefined,
  warnings: Warnings,
): DeviceRow[] {
  const rates = readList(result, 3, 'GPU hashrates', warnings);
  const tempFan = readList(result, 6, 'GPU temperatures and fans', warnings);
  // Not in TT-Miner's documented layout: used only when a build sends a list of numbers there.
  let power = readList(result, 9, 'GPU power', warnings, { optional: true });
  if (power && !power.every(isNumberLike)) power = undefined;

  let count = Math.max(
    rates?.length ?? 0,
    Math.ceil((tempFan?.length ?? 0) / 2),
    power?.length ?? 0,
  );
  if (count > MAX_GPUS) count = MAX_GPUS;
  if (launched !== undefined && count > launched.length) {
    warnings.add(
      `the answer lists ${count} GPUs but ${launched.length} were launched: extra rows left out`,
    );
    count = launched.length;
  }

  const rows: DeviceRow[] = [];
  for (let i = 0; i < count; i += 1) {
    const id = `gpu:${launched === undefined ? i : launched[i]}`;
    const row: DeviceRow = { id };
    // A list that is present but short is worth a warning; a missing one was warned already.
    const entry = (list: unknown[] | undefined, at: number, path: string, rule: NumberRule) => {
      if (!list) return undefined;
      if (at >= list.length) {
        warnings.add(`${path}: missing (short list)`);
        return undefined;
      }
      return readNumber(list[at], path, warnings, rule);
    };
    const hashrate = entry(rates, i, `result.3 ${id} hashrate`, RATE);
    if (hashrate !== undefined) row.hashrate = hashrate;
    const temperature = entry(tempFan, 2 * i, `result.6 ${id} temperature`, {
      max: MAX_TEMPERATURE_C,
    });
    if (temperature !== undefined) row.temperatureC = temperature;
    const fan = entry(tempFan, 2 * i + 1, `result.6 ${id} fan`, { max: MAX_FAN_PERCENT });
    if (fan !== undefined) row.fanPercent = fan;
    if (power && i < power.length) {
      const watts = readNumber(power[i], `result.9 ${id} power`, warnings, { max: MAX_POWER_W });
      if (watts !== undefined) row.powerW = watts;
    }
    rows.push(row);
  }
  return rows;
}

/** A JSON number or a text holding one (or `off`): what a power list is made of. */
function isNumberLike(value: unknown): boolean {
  if (typeof value === 'number') return true;
  return typeof value === 'string' && /^\s*(?:\d{1,12}(?:\.\d{1,6})?|off)?\s*$/i.test(value);
}
