import { XMRIG_BUILD_INFO } from './xmrig-build-info.js';

/** One pool, as `-o` and the options that follow it (or a `pools[]` entry of config.json) set it. */
export interface SimPool {
  /** The URL as given. */
  url: string;
  host: string;
  port: number;
  tls: boolean;
  user: string;
  pass: string;
  rigId: string | null;
  algo: string | null;
  coin: string | null;
  keepalive: boolean;
  nicehash: boolean;
  tlsFingerprint: string | null;
}

/** The HTTP API (`--http-*`, or `http` in config.json). */
export interface SimHttpOptions {
  enabled: boolean;
  host: string;
  /** 0 binds a free port; the banner's `HTTP API` line then shows the real one. */
  port: number;
  accessToken: string | null;
  restricted: boolean;
}

/** `--bench`: hash a fixed number of hashes without a pool. */
export interface SimBenchOptions {
  /** Hashes to do (`1M` is 1,000,000). */
  size: number;
  /** The size as given (`1M`), for `start benchmark hashes 1M`. */
  label: string;
  algo: string;
  /** No pool and no `--bench`: the simulator benchmarks instead of idling. */
  implicit: boolean;
}

/** Fault injection (`--sim-*`); times are real milliseconds. */
export interface SimFaultOptions {
  crashAfterMs: number | null;
  hangAfterMs: number | null;
  zeroAfterMs: number | null;
  garbageApi: boolean;
  slowApiMs: number;
  ignoreSigterm: boolean;
  rejectRate: number;
}

/** Everything the simulator runs with, after the command line and config.json are merged. */
export interface XmrigSimOptions {
  /** Pools in failover order. Empty in bench mode. */
  pools: SimPool[];
  bench: SimBenchOptions | null;
  /** `-a` given globally (shown as the POOL line's algo in bench mode). */
  algo: string | null;
  threads: number;
  /** Whether `--threads` (or the config's `cpu` profile) set the thread count. */
  threadsExplicit: boolean;
  cpuPriority: number | null;
  cpuMaxThreadsHint: number | null;
  hugePages: boolean;
  randomxMode: 'auto' | 'fast' | 'light';
  http: SimHttpOptions;
  apiId: string | null;
  apiWorkerId: string | null;
  colors: boolean;
  donateLevel: number;
  /** Seconds between speed lines. */
  printTime: number;
  retries: number;
  /** Seconds between reconnect attempts. */
  retryPause: number;
  userAgent: string | null;
  verbose: boolean;
  /** The `-c` file, when one was given. */
  configFile: string | null;
  /** PRNG seed of the run. */
  seed: number;
  /** Mean simulated hashrate in H/s. */
  hashrate: number;
  /** How much faster than real time simulated time runs. */
  timeScale: number;
  faults: SimFaultOptions;
}

/**
 * The simulator's defaults. They are xmrig's, except `printTime`: xmrig prints a speed line every
 * 60 s, the simulator every 10 s (as in the fixtures, captured with `--print-time 10`), because
 * nobody wants to wait a minute for the first one; pass `--print-time 60` for xmrig's cadence.
 */
export function defaultSimOptions(): XmrigSimOptions {
  return {
    pools: [],
    bench: null,
    algo: null,
    threads: XMRIG_BUILD_INFO.cpu.threads,
    threadsExplicit: false,
    cpuPriority: null,
    cpuMaxThreadsHint: null,
    hugePages: true,
    randomxMode: 'auto',
    http: { enabled: false, host: '127.0.0.1', port: 0, accessToken: null, restricted: true },
    apiId: null,
    apiWorkerId: null,
    colors: true,
    donateLevel: 1,
    printTime: 10,
    retries: 5,
    retryPause: 5,
    userAgent: null,
    verbose: false,
    configFile: null,
    seed: 1,
    hashrate: 1000,
    timeScale: 1,
    faults: {
      crashAfterMs: null,
      hangAfterMs: null,
      zeroAfterMs: null,
      garbageApi: false,
      slowApiMs: 0,
      ignoreSigterm: false,
      rejectRate: 0,
    },
  };
}

/** xmrig's defaults for a pool's user and password. */
export const DEFAULT_POOL_USER = 'x';
export const DEFAULT_POOL_PASS = 'x';
