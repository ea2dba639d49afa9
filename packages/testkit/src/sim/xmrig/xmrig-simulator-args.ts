/** A pool for {@link xmrigSimulatorArgs} (the per-pool options xmrig has). */
export interface XmrigSimulatorPoolArgs {
  /** `host:port`, `stratum+tcp://host:port` or `stratum+ssl://host:port`. */
  url: string;
  user?: string;
  pass?: string;
  rigId?: string;
  algo?: string;
  coin?: string;
  tls?: boolean;
  keepalive?: boolean;
  nicehash?: boolean;
}

/** Fault injection for {@link xmrigSimulatorArgs}; times in real milliseconds. */
export interface XmrigSimulatorFaults {
  crashAfterMs?: number;
  hangAfterMs?: number;
  zeroAfterMs?: number;
  garbageApi?: boolean;
  slowApiMs?: number;
  ignoreSigterm?: boolean;
  /** Fraction (0..1) of shares submitted with a bad result. */
  rejectRate?: number;
}

/** Typed options for a simulator command line. */
export interface XmrigSimulatorArgsOptions {
  /** Pools in failover order; none means benchmark mode. */
  pools?: readonly XmrigSimulatorPoolArgs[];
  /** `--bench` size (`250K`, `500K`, `1M` … `10M`). */
  bench?: string;
  threads?: number;
  /** The HTTP API; omit `port` (or use 0) for a free port shown in the banner. */
  http?: { host?: string; port?: number; accessToken?: string; restricted?: boolean };
  /** Keep ANSI colours (default false: `--no-color`). */
  colors?: boolean;
  /** Seconds between speed lines. */
  printTime?: number;
  donateLevel?: number;
  hugePages?: boolean;
  retries?: number;
  retryPause?: number;
  seed?: number;
  /** Mean hashrate in H/s. */
  hashrate?: number;
  timeScale?: number;
  faults?: XmrigSimulatorFaults;
  /** Appended as they are. */
  extraArgs?: readonly string[];
}

/**
 * Builds a `rigkit-sim-xmrig` command line from typed options, in the order xmrig expects
 * (per-pool options right after their `-o`).
 *
 * ```ts
 * xmrigSimulatorArgs({ pools: [{ url: '127.0.0.1:3333', user: 'wallet', nicehash: true }], timeScale: 10 })
 * // ['-o', '127.0.0.1:3333', '-u', 'wallet', '--nicehash', '--no-color', '--sim-time-scale', '10']
 * ```
 */
export function xmrigSimulatorArgs(options: XmrigSimulatorArgsOptions = {}): string[] {
  const args: string[] = [];
  const add = (flag: string, value: string | number | undefined) => {
    if (value !== undefined) args.push(flag, String(value));
  };
  const flag = (name: string, on: boolean | undefined) => {
    if (on) args.push(name);
  };
  for (const pool of options.pools ?? []) {
    args.push('-o', pool.url);
    add('-u', pool.user);
    add('-p', pool.pass);
    add('--rig-id', pool.rigId);
    add('--algo', pool.algo);
    add('--coin', pool.coin);
    flag('--tls', pool.tls);
    flag('--keepalive', pool.keepalive);
    flag('--nicehash', pool.nicehash);
  }
  add('--bench', options.bench);
  add('--threads', options.threads);
  if (options.http) {
    add('--http-host', options.http.host ?? '127.0.0.1');
    add('--http-port', options.http.port ?? 0);
    add('--http-access-token', options.http.accessToken);
    flag('--http-no-restricted', options.http.restricted === false);
  }
  flag('--no-color', options.colors !== true);
  add('--print-time', options.printTime);
  add('--donate-level', options.donateLevel);
  flag('--no-huge-pages', options.hugePages === false);
  add('--retries', options.retries);
  add('--retry-pause', options.retryPause);
  add('--sim-seed', options.seed);
  add('--sim-hashrate', options.hashrate);
  add('--sim-time-scale', options.timeScale);
  const faults = options.faults ?? {};
  add('--sim-crash-after', faults.crashAfterMs);
  add('--sim-hang-after', faults.hangAfterMs);
  add('--sim-zero-after', faults.zeroAfterMs);
  flag('--sim-garbage-api', faults.garbageApi);
  add('--sim-slow-api', faults.slowApiMs);
  flag('--sim-ignore-sigterm', faults.ignoreSigterm);
  add('--sim-reject-rate', faults.rejectRate);
  args.push(...(options.extraArgs ?? []));
  return args;
}
