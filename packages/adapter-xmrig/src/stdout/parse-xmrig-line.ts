import type { MinerEvent } from '@rigkit/core';
import { parseDifficultyText } from '../api/difficulty.js';
import { stripAnsi } from './strip-ansi.js';
import { isHashrateUnit, toHashesPerSecond } from './to-hashes-per-second.js';

/** Event types {@link parseXmrigLine} produces. */
export type XmrigEventType =
  | 'share.accepted'
  | 'share.rejected'
  | 'job'
  | 'pool.connected'
  | 'pool.error'
  | 'pool.disconnected'
  | 'speed'
  | 'ready'
  | 'paused'
  | 'resumed'
  | 'exiting'
  | 'http.error'
  | 'error';

/** Lines longer than this are not parsed (core already truncates; this bounds regex work). */
export const MAX_PARSED_LINE = 8192;

const TS = String.raw`\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?\]`;
// `[ts] 127.0.0.1 GET /2/summary 401 295 1ms "curl/7.88.1"`: xmrig logs requests answered ≥ 400.
const ACCESS_LOG = new RegExp(
  String.raw`^${TS} (\S+) ([A-Z]{3,7}) (\S+) (\d{3}) (\d+) (\d+)ms "(.*)"$`,
);
// `[ts]  net      message`: a tag padded to a column, then the message.
const LOG_LINE = new RegExp(String.raw`^${TS} +(\S+) +(\S.*)$`);

const ACCEPTED = /^accepted \((\d+)\/(\d+)\) diff (\S+)(?: \((\d+) ms\))?/;
const REJECTED = /^rejected \((\d+)\/(\d+)\) diff (\S+) "(.*)"(?: \((\d+) ms\))?$/;
const NEW_JOB = /^new job from (\S+) diff (\S+)(?: algo (\S+))?(?: height (\d+))?/;
const USE_POOL = /^use (pool|daemon) (\S+)(?: +(.*))?$/;
const POOL_ERROR = /^(\S+) (?:(\w+) )?error: "(.*)"(?:, code: (-?\d+))?$/;
const SPEED = /^speed 10s\/60s\/15m (\S+) (\S+) (\S+) (\S+) max (\S+) (\S+)$/;
const READY =
  /^READY threads (\d+)\/(\d+)(?: \((\d+)\))?(?: huge pages (\d+)% (\d+)\/(\d+))?(?: memory (\d+) KB)?(?: \((\d+) ms\))?/;
const EXITING = /^(SIG[A-Z0-9]+) received, exiting/;
const PROBLEM = /\b(?:error|failed)\b/i;
// xmrig could not use its config file: `unable to open "<file>".` or `<file><offset:N>: "why"`.
const CONFIG_PROBLEM = /^unable to open "|<offset:\d+>: "/;

/**
 * Turns one line of xmrig's output into a typed event, or `undefined` for lines that carry
 * nothing to act on (banner, bench progress, RandomX init…). Colour codes are stripped first.
 * Never throws. Hashrates are converted to H/s; `n/a` becomes `undefined`.
 *
 * | type | data |
 * | --- | --- |
 * | `share.accepted` | `accepted`, `rejected` (totals so far), `diff`, `latencyMs`, `backend` |
 * | `share.rejected` | the same plus `reason` |
 * | `job` | `pool`, `diff`, `algo`, `height` |
 * | `pool.connected` | `pool`, `ip`, `tls`, `mode` |
 * | `pool.error` | `pool`, `message`, `code`, `kind` (e.g. `connect`) — the pool refused or failed |
 * | `pool.disconnected` | `pool`, `reason`, `kind` (`read`/`write`) — the connection dropped |
 * | `speed` | `h10`, `h60`, `h15m`, `max` (H/s) |
 * | `ready` | `backend`, `threads`, `threadsTotal`, `hugePagesPercent`, `memoryKB`, `ms` |
 * | `paused`, `resumed` | — |
 * | `exiting` | `signal` |
 * | `http.error` | `ip`, `method`, `path`, `status`, `bytes`, `ms`, `userAgent` |
 * | `error` | `tag`, `message` — any other line that reports an error or failure |
 */
export function parseXmrigLine(line: string): MinerEvent | undefined {
  try {
    if (line.length > MAX_PARSED_LINE) return undefined;
    return parse(stripAnsi(line).trimEnd());
  } catch {
    return undefined;
  }
}

function parse(line: string): MinerEvent | undefined {
  const access = ACCESS_LOG.exec(line);
  if (access) {
    const status = Number(access[4]);
    if (status < 400) return undefined;
    return {
      type: 'http.error',
      level: status >= 500 ? 'error' : 'warn',
      data: {
        ip: access[1],
        method: access[2],
        path: access[3],
        status,
        bytes: Number(access[5]),
        ms: Number(access[6]),
        userAgent: access[7],
      },
    };
  }
  const log = LOG_LINE.exec(line);
  if (!log) return undefined;
  const tag = log[1] as string;
  const message = log[2] as string;
  return (
    shareEvent(tag, message) ??
    (tag === 'net' ? netEvent(message) : undefined) ??
    minerEvent(message) ??
    readyEvent(tag, message) ??
    exitingEvent(tag, message) ??
    problemEvent(tag, message)
  );
}

function shareEvent(tag: string, message: string): MinerEvent | undefined {
  const ok = ACCEPTED.exec(message);
  if (ok) {
    return {
      type: 'share.accepted',
      level: 'info',
      data: {
        accepted: Number(ok[1]),
        rejected: Number(ok[2]),
        diff: parseDifficultyText(ok[3] as string),
        latencyMs: ok[4] === undefined ? undefined : Number(ok[4]),
        backend: tag,
      },
    };
  }
  const bad = REJECTED.exec(message);
  if (bad) {
    return {
      type: 'share.rejected',
      level: 'warn',
      data: {
        accepted: Number(bad[1]),
        rejected: Number(bad[2]),
        diff: parseDifficultyText(bad[3] as string),
        reason: bad[4],
        latencyMs: bad[5] === undefined ? undefined : Number(bad[5]),
        backend: tag,
      },
    };
  }
  return undefined;
}

function netEvent(message: string): MinerEvent | undefined {
  const job = NEW_JOB.exec(message);
  if (job) {
    return {
      type: 'job',
      level: 'info',
      data: {
        pool: job[1],
        diff: parseDifficultyText(job[2] as string),
        algo: job[3],
        height: job[4] === undefined ? undefined : Number(job[4]),
      },
    };
  }
  const use = USE_POOL.exec(message);
  if (use) {
    // `use pool host:port  ip` or `use pool host:port TLSv1.3 ip`.
    const rest = (use[3] ?? '').split(/ +/).filter(Boolean);
    const tls = rest.find((part) => part.startsWith('TLS'));
    const ip = rest.filter((part) => part !== tls).at(-1);
    return {
      type: 'pool.connected',
      level: 'info',
      data: { pool: use[2], ip, tls, mode: use[1] },
    };
  }
  const error = POOL_ERROR.exec(message);
  if (error) {
    const kind = error[2];
    if (kind === 'read' || kind === 'write') {
      return {
        type: 'pool.disconnected',
        level: 'warn',
        data: { pool: error[1], reason: error[3], kind },
      };
    }
    return {
      type: 'pool.error',
      level: 'error',
      data: {
        pool: error[1],
        message: error[3],
        code: error[4] === undefined ? undefined : Number(error[4]),
        kind,
      },
    };
  }
  if (message.startsWith('no active pools')) {
    return { type: 'pool.disconnected', level: 'warn', data: { reason: message } };
  }
  return undefined;
}

function minerEvent(message: string): MinerEvent | undefined {
  const speed = SPEED.exec(message);
  if (speed) {
    const unit = speed[4] as string;
    const maxUnit = speed[6] as string;
    if (!isHashrateUnit(unit) || !isHashrateUnit(maxUnit)) return undefined;
    return {
      type: 'speed',
      level: 'info',
      data: {
        h10: toHashesPerSecond(speed[1] as string, unit),
        h60: toHashesPerSecond(speed[2] as string, unit),
        h15m: toHashesPerSecond(speed[3] as string, unit),
        max: toHashesPerSecond(speed[5] as string, maxUnit),
      },
    };
  }
  if (/^paused\b/.test(message)) return { type: 'paused', level: 'info' };
  if (/^resumed\b/.test(message)) return { type: 'resumed', level: 'info' };
  return undefined;
}

function readyEvent(tag: string, message: string): MinerEvent | undefined {
  const ready = READY.exec(message);
  if (!ready) return undefined;
  const num = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return {
    type: 'ready',
    level: 'info',
    data: {
      backend: tag,
      threads: num(ready[1]),
      threadsTotal: num(ready[2]),
      hugePagesPercent: num(ready[4]),
      memoryKB: num(ready[7]),
      ms: num(ready[8]),
    },
  };
}

function exitingEvent(tag: string, message: string): MinerEvent | undefined {
  if (tag !== 'signal') return undefined;
  const exiting = EXITING.exec(message);
  return exiting ? { type: 'exiting', level: 'info', data: { signal: exiting[1] } } : undefined;
}

function problemEvent(tag: string, message: string): MinerEvent | undefined {
  return PROBLEM.test(message) || (tag === 'config' && CONFIG_PROBLEM.test(message))
    ? { type: 'error', level: 'warn', data: { tag, message } }
    : undefined;
}
