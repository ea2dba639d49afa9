import type { JsonValue } from './json-text.js';
import type { XmrigSimOptions } from './xmrig-sim-options.js';

type JsonObject = { [key: string]: JsonValue };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Merges `override` into `base` (objects recursively, everything else replaced): what a
 * `PUT /1/config` body changes in what `GET /2/config` shows.
 */
export function mergeConfig(base: JsonValue, override: unknown): JsonValue {
  if (!isObject(base) || !isObject(override)) return override as JsonValue;
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = key in base ? mergeConfig(base[key] as JsonValue, value) : (value as JsonValue);
  }
  return out;
}

/**
 * `GET /2/config`: the running configuration in the shape xmrig writes its config.json, with
 * the keys of `2_config.json` in its order. Like xmrig's `Pools::toJSON`, a benchmark run has a
 * `benchmark` object where a pool run has `donate-level`, `donate-over-proxy`, `pools`,
 * `retries` and `retry-pause`. The access token is included: the real API returns it too.
 */
export function buildConfigJson(options: XmrigSimOptions): JsonValue {
  const network: JsonObject = options.bench
    ? {
        benchmark: {
          size: options.bench.label,
          algo: options.bench.algo,
          submit: false,
          verify: null,
          token: null,
          seed: null,
          user: null,
          hash: null,
        },
      }
    : {
        'donate-level': options.donateLevel,
        'donate-over-proxy': options.donateLevel,
        pools: options.pools.map((pool) => ({
          algo: pool.algo,
          coin: pool.coin,
          url: pool.url,
          user: pool.user,
          pass: pool.pass,
          'rig-id': pool.rigId,
          nicehash: pool.nicehash,
          enabled: true,
          keepalive: pool.keepalive,
          tls: pool.tls,
          sni: false,
          'spend-secret-key': null,
          'tls-fingerprint': pool.tlsFingerprint,
          daemon: false,
          socks5: null,
          'self-select': null,
          'submit-to-origin': false,
        })),
        retries: options.retries,
        'retry-pause': options.retryPause,
      };
  const cpu: JsonObject = {
    enabled: true,
    'huge-pages': options.hugePages,
    'huge-pages-jit': false,
    'hw-aes': null,
    priority: options.cpuPriority,
    'memory-pool': false,
    yield: true,
    ...(options.cpuMaxThreadsHint !== null && { 'max-threads-hint': options.cpuMaxThreadsHint }),
    asm: true,
    'argon2-impl': null,
    '*': { intensity: 1, threads: options.threads, affinity: -1 },
    kawpow: false,
  };
  return {
    api: { id: options.apiId, 'worker-id': options.apiWorkerId },
    http: {
      enabled: options.http.enabled,
      host: options.http.host,
      port: options.http.port,
      'access-token': options.http.accessToken,
      restricted: options.http.restricted,
    },
    autosave: true,
    background: false,
    colors: options.colors,
    title: true,
    randomx: {
      init: -1,
      'init-avx2': -1,
      mode: options.randomxMode,
      '1gb-pages': false,
      rdmsr: true,
      wrmsr: true,
      cache_qos: false,
      numa: true,
      scratchpad_prefetch_mode: 1,
    },
    cpu,
    'log-file': null,
    ...network,
    'print-time': options.printTime,
    dmi: true,
    syslog: false,
    tls: {
      enabled: false,
      protocols: null,
      cert: null,
      cert_key: null,
      ciphers: null,
      ciphersuites: null,
      dhparam: null,
    },
    dns: { ip_version: 0, ttl: 30 },
    'user-agent': options.userAgent,
    verbose: options.verbose ? 1 : 0,
    watch: true,
    'pause-on-battery': false,
    'pause-on-active': false,
  };
}
