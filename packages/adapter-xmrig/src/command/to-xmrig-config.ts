import type { XmrigOptions, XmrigPoolOptions } from '../options/xmrig-options.js';
import type { XmrigHttpApi } from './xmrig-http-api.js';

/** The subset of xmrig's `config.json` the adapter writes. */
export interface XmrigConfig {
  autosave: false;
  background: false;
  colors: false;
  watch: false;
  syslog: false;
  'log-file': null;
  'donate-level': number;
  http: {
    enabled: true;
    host: '127.0.0.1';
    port: number;
    'access-token': string;
    restricted: true;
  };
  cpu: Record<string, unknown>;
  pools: Record<string, unknown>[];
}

/**
 * Builds the xmrig `config.json` for `options` (the shape xmrig itself writes, see
 * `/2/config`). `autosave` and `watch` are off: xmrig must neither rewrite nor re-read a file
 * the adapter deletes after the run.
 */
export function toXmrigConfig(options: XmrigOptions, api: XmrigHttpApi): XmrigConfig {
  const cpu: Record<string, unknown> = { enabled: true, 'huge-pages': options.hugePages };
  if (options.cpuPriority !== undefined) cpu.priority = options.cpuPriority;
  if (options.cpuMaxThreadsHint !== undefined) cpu['max-threads-hint'] = options.cpuMaxThreadsHint;
  // What xmrig's own `--threads N` turns into: one profile for every algorithm.
  if (options.threads !== undefined) {
    cpu['*'] = { intensity: 1, threads: options.threads, affinity: -1 };
  }
  return {
    autosave: false,
    background: false,
    colors: false,
    watch: false,
    syslog: false,
    'log-file': null,
    'donate-level': options.donateLevel,
    http: {
      enabled: true,
      host: api.host,
      port: api.port,
      'access-token': api.token,
      restricted: true,
    },
    cpu,
    pools: options.pools.map(toPoolConfig),
  };
}

function toPoolConfig(pool: XmrigPoolOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { url: pool.url, user: pool.user, enabled: true };
  if (pool.pass !== undefined) out.pass = pool.pass;
  if (pool.rigId !== undefined) out['rig-id'] = pool.rigId;
  if (pool.tls !== undefined) out.tls = pool.tls;
  if (pool.keepalive !== undefined) out.keepalive = pool.keepalive;
  if (pool.nicehash !== undefined) out.nicehash = pool.nicehash;
  if (pool.coin !== undefined) out.coin = pool.coin;
  if (pool.algo !== undefined) out.algo = pool.algo;
  return out;
}
