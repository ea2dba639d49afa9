import type { MinerEvent } from '@rigkit/core';
import { stripAnsi } from './strip-ansi.js';
import { toHashesPerSecond } from './to-hashes-per-second.js';

/** Event types {@link parseTtminerLine} produces. */
export type TtminerEventType =
  | 'pool.connected'
  | 'job'
  | 'share.accepted'
  | 'share.rejected'
  | 'gpu.hashrate'
  | 'gpu.temperature'
  | 'speed'
  | 'error';

/** Lines longer than this are not parsed (core already truncates; this bounds regex work). */
export const MAX_PARSED_LINE = 8192;
const MAX_TEXT = 500;

const TIMESTAMP = /^\[?\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?\]?\s*/;
const BANNER = /^TT-?Miner[ /]v?\d/i;
const ACCEPTED = /\baccepted\b/i;
const REJECTED = /\brejected\b/i;
const PROBLEM = /\b(?:error|errors|lost|failed|failure|disconnected)\b/i;
const CONNECTED = /\b(?:re)?connected to (?:pool\s+)?(\S+)/i;
const NEW_JOB = /\bnew job\b/i;
const JOB_POOL = /\bfrom (?:pool\s+)?(\S+)/i;
const JOB_DIFF = /\bdiff(?:iculty)?:?\s*(\d{1,20}(?:\.\d{1,10})?)\s*([KMGTP]?)\b/i;
const GPU = /\bGPU\s*#?\s*(\d{1,3})\b/i;
const RATE = /\b(\d{1,15}(?:\.\d{1,10})?)\s*([kmgt]?h\/s)/i;
const TEMPERATURE = /\b(\d{1,3}(?:\.\d{1,2})?)\s*(?:°|º|Â°|deg\s*)?C\b/;
const FAN = /\bfan:?\s*(\d{1,3})\s*%/i;
const POWER = /\b(\d{1,5}(?:\.\d{1,2})?)\s*W\b/;
const LATENCY = /\b(\d{1,6})\s?ms\b/i;
const TOTALS = /\((\d{1,15})\/(\d{1,15})\)/;
const TOTAL = /\btotal\b/i;
const QUOTED = /"([^"]{0,500})"/;

/**
 * Turns one line of TT-Miner's output into a typed event, or `undefined` for lines that carry
 * nothing to act on. Never throws. Colour codes are stripped, then an optional leading
 * `HH:MM:SS[.mmm]` timestamp (bracketed or not). Words match case-insensitively; hashrates are
 * converted to H/s.
 *
 * The canonical lines (exported as `TTMINER_LINE_EXAMPLES`, what the simulator prints):
 *
 * | line | event |
 * | --- | --- |
 * | `TT-Miner 2024.3.2` (banner) | `undefined` |
 * | `12:00:01.123 Connected to pool.example:4444` | `pool.connected` `{ pool }` |
 * | `12:00:01.250 New job from pool.example:4444 diff 1.07G` | `job` `{ pool, diff }` |
 * | `12:00:05.010 GPU 0: Share accepted (23 ms)` | `share.accepted` `{ gpu, latencyMs }` |
 * | `12:00:06.020 GPU 1: Share rejected: "Low difficulty share" (31 ms)` | `share.rejected` `{ gpu, reason, latencyMs }` |
 * | `12:00:10.000 GPU 0: 14.68 MH/s, 53°C, fan 90%` | `gpu.hashrate` `{ gpu, hashrate, temperatureC, fanPercent }` |
 * | `12:00:10.000 GPU 1: 14.51 MH/s, 50°C, fan 90%, 125 W` | the same plus `powerW` |
 * | `12:00:10.001 GPU 0: temperature 53°C, fan 90%` | `gpu.temperature` `{ gpu, temperatureC, fanPercent }` |
 * | `12:00:10.002 Total: 29.19 MH/s` | `speed` `{ hashrate }` |
 * | `12:00:20.000 ERROR: GPU 1 lost` | `error` `{ gpu, message }` |
 * | `12:00:30.000 Failed to connect to pool.example:4444` | `error` `{ message }` |
 *
 * Rules, first match wins:
 * 1. `accepted` / `rejected` (whichever comes first) → `share.accepted` / `share.rejected`,
 *    with `gpu` (`GPU <i>`), `latencyMs` (`<n> ms`), `accepted`/`rejected` totals (`(54/0)`),
 *    and for rejections a `reason` (in double quotes, else the text after the `:` that follows
 *    `rejected`);
 * 2. `error`, `lost`, `failed`, `failure`, `disconnected` → `error` `{ message, gpu? }`;
 * 3. `connected to <pool>` (also `reconnected`) → `pool.connected` `{ pool }` (any `user@`
 *    part is dropped);
 * 4. `new job` → `job` `{ pool?, diff? }` (`from <pool>`, `diff <n>[KMGTP]`);
 * 5. `GPU <i>` and a rate `<n> H/s|kH/s|MH/s|GH/s|TH/s` → `gpu.hashrate`, plus the
 *    temperature (`<n>°C`, `<n>C`), `fan <n>%` and `<n> W` when present;
 * 6. `GPU <i>` and a temperature → `gpu.temperature` (plus fan and power when present);
 * 7. `total` and a rate → `speed` `{ hashrate }`.
 */
export function parseTtminerLine(line: string): MinerEvent | undefined {
  try {
    if (line.length > MAX_PARSED_LINE) return undefined;
    const text = stripAnsi(line).trim().replace(TIMESTAMP, '').trim();
    if (text === '' || BANNER.test(text)) return undefined;
    return parse(text);
  } catch {
    return undefined;
  }
}

function parse(text: string): MinerEvent | undefined {
  const share = shareEvent(text);
  if (share) return share;
  if (PROBLEM.test(text)) {
    return { type: 'error', level: 'error', data: withGpu(text, { message: bounded(text) }) };
  }
  const connected = CONNECTED.exec(text);
  if (connected) {
    const pool = cleanPool(connected[1] as string);
    if (pool !== undefined) return { type: 'pool.connected', level: 'info', data: { pool } };
  }
  if (NEW_JOB.test(text)) {
    const from = JOB_POOL.exec(text);
    const diff = JOB_DIFF.exec(text);
    return {
      type: 'job',
      level: 'info',
      data: {
        pool: from ? cleanPool(from[1] as string) : undefined,
        diff: diff ? parseDifficulty(diff[1] as string, diff[2] as string) : undefined,
      },
    };
  }
  const gpu = GPU.exec(text);
  const rate = RATE.exec(text);
  if (gpu && rate) {
    const hashrate = toHashesPerSecond(rate[1] as string, rate[2] as string);
    if (hashrate !== undefined) {
      return {
        type: 'gpu.hashrate',
        level: 'info',
        data: { gpu: Number(gpu[1]), hashrate, ...readings(text) },
      };
    }
  }
  if (gpu) {
    const found = readings(text);
    if (found.temperatureC !== undefined) {
      return { type: 'gpu.temperature', level: 'info', data: { gpu: Number(gpu[1]), ...found } };
    }
  }
  if (rate && TOTAL.test(text)) {
    const hashrate = toHashesPerSecond(rate[1] as string, rate[2] as string);
    if (hashrate !== undefined) return { type: 'speed', level: 'info', data: { hashrate } };
  }
  return undefined;
}

function shareEvent(text: string): MinerEvent | undefined {
  const ok = ACCEPTED.exec(text);
  const bad = REJECTED.exec(text);
  if (!ok && !bad) return undefined;
  const rejected = bad !== null && (ok === null || bad.index < ok.index);
  const data: Record<string, unknown> = {};
  const gpu = GPU.exec(text);
  if (gpu) data.gpu = Number(gpu[1]);
  if (rejected) {
    const reason = rejectReason(text, (bad as RegExpExecArray).index + 'rejected'.length);
    if (reason !== undefined) data.reason = reason;
  }
  const latency = LATENCY.exec(text);
  if (latency) data.latencyMs = Number(latency[1]);
  const totals = TOTALS.exec(text);
  if (totals) {
    data.accepted = Number(totals[1]);
    data.rejected = Number(totals[2]);
  }
  return rejected
    ? { type: 'share.rejected', level: 'warn', data }
    : { type: 'share.accepted', level: 'info', data };
}

/** The reason of a rejected share: quoted text, else what follows `rejected…:`. */
function rejectReason(text: string, after: number): string | undefined {
  const rest = text.slice(after);
  const quoted = QUOTED.exec(rest);
  if (quoted) return quoted[1] === '' ? undefined : quoted[1];
  const colon = rest.indexOf(':');
  if (colon === -1) return undefined;
  const reason = rest
    .slice(colon + 1)
    .replace(/\(\s*\d+\s?ms\s*\)\s*$/i, '')
    .trim();
  return reason === '' ? undefined : bounded(reason);
}

/** Temperature, fan and power found in a GPU line. */
function readings(text: string): {
  temperatureC?: number;
  fanPercent?: number;
  powerW?: number;
} {
  const out: { temperatureC?: number; fanPercent?: number; powerW?: number } = {};
  const temperature = TEMPERATURE.exec(text);
  if (temperature) out.temperatureC = Number(temperature[1]);
  const fan = FAN.exec(text);
  if (fan && Number(fan[1]) <= 100) out.fanPercent = Number(fan[1]);
  const power = POWER.exec(text);
  if (power) out.powerW = Number(power[1]);
  return out;
}

function withGpu(text: string, data: Record<string, unknown>): Record<string, unknown> {
  const gpu = GPU.exec(text);
  return gpu ? { ...data, gpu: Number(gpu[1]) } : data;
}

/** A pool address as printed, without trailing punctuation or any `user:pass@` part. */
function cleanPool(raw: string): string | undefined {
  const pool = raw.replace(/[.,;:!]+$/, '');
  const host = pool.slice(pool.lastIndexOf('@') + 1);
  return host === '' || host.length > 255 ? undefined : host;
}

const SUFFIX: Readonly<Record<string, number>> = {
  '': 1,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
};

function parseDifficulty(value: string, suffix: string): number | undefined {
  const n = Number(value) * (SUFFIX[suffix.toUpperCase()] ?? Number.NaN);
  return Number.isFinite(n) ? Math.round(n * 1000) / 1000 : undefined;
}

function bounded(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}
