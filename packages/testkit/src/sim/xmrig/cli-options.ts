import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CliUsageError } from '../shared/simulator-main.js';
import { parsePoolUrl } from './pool-url.js';
import { type ConfigFilePool, parseXmrigConfigFile } from './xmrig-config-file.js';
import {
  DEFAULT_POOL_PASS,
  DEFAULT_POOL_USER,
  defaultSimOptions,
  type SimPool,
  type XmrigSimOptions,
} from './xmrig-sim-options.js';

/** How an option takes its value (getopt_long's `no_argument`, `required_argument`, `optional_argument`). */
type ArgKind = 'none' | 'required' | 'optional';

interface OptionDef {
  readonly long: string;
  readonly short?: string;
  readonly arg: ArgKind;
  /** Applies to the pool of the last `-o` (xmrig's per-pool options). */
  readonly pool?: true;
}

const opt = (long: string, arg: ArgKind, short?: string, pool?: true): OptionDef =>
  short === undefined
    ? { long, arg, ...(pool && { pool }) }
    : { long, arg, short, ...(pool && { pool }) };

/**
 * The options the simulator understands: xmrig 6.26's (those it acts on, and the tuning knobs
 * it accepts and ignores so that a real command line still runs) and its own `--sim-*`.
 */
export const XMRIG_OPTIONS: readonly OptionDef[] = Object.freeze([
  // Pools: each applies to the last -o (to the first pool when it comes before any -o).
  opt('url', 'required', 'o', true),
  opt('user', 'required', 'u', true),
  opt('pass', 'required', 'p', true),
  opt('userpass', 'required', 'O', true),
  opt('rig-id', 'required', undefined, true),
  opt('algo', 'required', 'a', true),
  opt('coin', 'required', undefined, true),
  opt('keepalive', 'none', 'k', true),
  opt('nicehash', 'none', undefined, true),
  opt('tls', 'none', undefined, true),
  opt('tls-fingerprint', 'required', undefined, true),
  opt('daemon', 'none', undefined, true),
  opt('daemon-poll-interval', 'required', undefined, true),
  opt('self-select', 'required', undefined, true),
  opt('submit-to-origin', 'none', undefined, true),
  opt('proxy', 'required', 'x', true),
  // Network
  opt('donate-level', 'required'),
  opt('donate-over-proxy', 'required'),
  opt('retries', 'required', 'r'),
  opt('retry-pause', 'required', 'R'),
  opt('user-agent', 'required'),
  opt('dns-ipv6', 'none'),
  opt('dns-ttl', 'required'),
  // CPU backend
  opt('no-cpu', 'none'),
  opt('threads', 'required', 't'),
  opt('cpu-affinity', 'required'),
  opt('av', 'required', 'v'),
  opt('cpu-priority', 'required'),
  opt('cpu-max-threads-hint', 'required'),
  opt('cpu-memory-pool', 'required'),
  opt('cpu-no-yield', 'none'),
  opt('no-huge-pages', 'none'),
  opt('hugepage-size', 'required'),
  opt('huge-pages-jit', 'none'),
  opt('asm', 'required'),
  opt('argon2-impl', 'required'),
  opt('randomx-init', 'required'),
  opt('randomx-no-numa', 'none'),
  opt('randomx-mode', 'required'),
  opt('randomx-1gb-pages', 'none'),
  opt('randomx-wrmsr', 'optional'),
  opt('randomx-no-rdmsr', 'none'),
  opt('randomx-cache-qos', 'none'),
  // API
  opt('api-worker-id', 'required'),
  opt('api-id', 'required'),
  opt('http-enabled', 'none'),
  opt('http-host', 'required'),
  opt('http-port', 'required'),
  opt('http-access-token', 'required'),
  opt('http-no-restricted', 'none'),
  // Logging and misc
  opt('background', 'none', 'B'),
  opt('config', 'required', 'c'),
  opt('log-file', 'required', 'l'),
  opt('syslog', 'none', 'S'),
  opt('print-time', 'required'),
  opt('health-print-time', 'required'),
  opt('no-color', 'none'),
  opt('verbose', 'none'),
  opt('title', 'required'),
  opt('no-title', 'none'),
  opt('no-dmi', 'none'),
  opt('pause-on-battery', 'none'),
  opt('pause-on-active', 'required'),
  opt('stress', 'none'),
  opt('bench', 'required'),
  opt('submit', 'none'),
  opt('verify', 'required'),
  opt('seed', 'required'),
  opt('hash', 'required'),
  opt('token', 'required'),
  opt('help', 'none', 'h'),
  opt('version', 'none', 'V'),
  opt('versions', 'none'),
  // The simulator's own
  opt('sim-seed', 'required'),
  opt('sim-hashrate', 'required'),
  opt('sim-time-scale', 'required'),
  opt('sim-crash-after', 'required'),
  opt('sim-hang-after', 'required'),
  opt('sim-zero-after', 'required'),
  opt('sim-garbage-api', 'none'),
  opt('sim-slow-api', 'required'),
  opt('sim-ignore-sigterm', 'none'),
  opt('sim-reject-rate', 'required'),
]);

/**
 * A command line xmrig would not take ({@link CliUsageError}): `message` is what goes to stderr,
 * for unknown options the text glibc's `getopt_long` prints (`xmrig: unrecognized option '--foo'`).
 */
export { CliUsageError };

/** One option occurrence, under its long name. */
export interface CliEntry {
  name: string;
  value: string | undefined;
}

/** The options in command-line order, and the arguments that are not options. */
export interface ScannedCommandLine {
  entries: CliEntry[];
  positionals: string[];
}

const PROGRAM = 'xmrig';

/**
 * The option named `text` or abbreviated to it. getopt_long's messages quote the argument as
 * given, `=value` included (`arg`).
 */
function findLong(text: string, arg: string): OptionDef {
  const exact = XMRIG_OPTIONS.find((def) => def.long === text);
  if (exact) return exact;
  // getopt_long accepts any unambiguous abbreviation.
  const candidates = XMRIG_OPTIONS.filter((def) => def.long.startsWith(text));
  if (candidates.length === 1) return candidates[0] as OptionDef;
  if (candidates.length === 0) throw new CliUsageError(`${PROGRAM}: unrecognized option '${arg}'`);
  const possibilities = candidates.map((def) => ` '--${def.long}'`).join('');
  throw new CliUsageError(
    `${PROGRAM}: option '${arg}' is ambiguous; possibilities:${possibilities}`,
  );
}

/**
 * Splits `argv` like glibc's `getopt_long` with xmrig's option table: `--opt=value` and
 * `--opt value`, unambiguous abbreviations (`--donate` for `--donate-level`), clustered short
 * flags (`-kt2`), `-ovalue`, and `--` to end the options. Arguments that are not options are
 * collected (getopt permutes them to the end). Throws {@link CliUsageError} with getopt's
 * message for an unknown option, a missing argument or an argument given to a flag.
 */
export function scanCommandLine(argv: readonly string[]): ScannedCommandLine {
  const entries: CliEntry[] = [];
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const text = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
      const def = findLong(text, arg);
      if (eq !== -1) {
        if (def.arg === 'none') {
          throw new CliUsageError(`${PROGRAM}: option '--${def.long}' doesn't allow an argument`);
        }
        entries.push({ name: def.long, value: arg.slice(eq + 1) });
      } else if (def.arg === 'required') {
        const value = argv[i + 1];
        if (value === undefined) {
          throw new CliUsageError(`${PROGRAM}: option '--${def.long}' requires an argument`);
        }
        i++;
        entries.push({ name: def.long, value });
      } else {
        entries.push({ name: def.long, value: undefined });
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const letter = arg[j] as string;
        const def = XMRIG_OPTIONS.find((candidate) => candidate.short === letter);
        if (!def) throw new CliUsageError(`${PROGRAM}: invalid option -- '${letter}'`);
        if (def.arg === 'none') {
          entries.push({ name: def.long, value: undefined });
          continue;
        }
        const rest = arg.slice(j + 1);
        if (rest !== '' || def.arg === 'optional') {
          entries.push({ name: def.long, value: rest === '' ? undefined : rest });
        } else {
          const value = argv[i + 1];
          if (value === undefined) {
            throw new CliUsageError(`${PROGRAM}: option requires an argument -- '${letter}'`);
          }
          i++;
          entries.push({ name: def.long, value });
        }
        break;
      }
      continue;
    }
    positionals.push(arg);
  }
  return { entries, positionals };
}

/** The outcome of {@link parseCliOptions}. */
export type CliParseResult =
  | { kind: 'help' }
  | { kind: 'version' }
  | {
      kind: 'run';
      options: XmrigSimOptions;
      /** Messages for the `config` log tag (config file unreadable or invalid). */
      configErrors: string[];
      /** Lines for stderr that do not stop the run (non-option arguments, as xmrig). */
      warnings: string[];
    };

/** How {@link parseCliOptions} reads files and picks a seed (tests replace them). */
export interface CliParseIo {
  readFile?: (path: string) => string | undefined;
  randomSeed?: () => number;
}

function invalid(name: string, value: string, expected: string): CliUsageError {
  return new CliUsageError(
    `${PROGRAM}: invalid value '${value}' for option '--${name}' (${expected})`,
  );
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw invalid(name, value, `an integer from ${min} to ${max}`);
  }
  return n;
}

function decimal(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw invalid(name, value, `a number from ${min} to ${max}`);
  }
  return n;
}

/** `--bench` sizes xmrig knows. */
const BENCH_SIZES: Readonly<Record<string, number>> = Object.freeze({
  '250K': 250_000,
  '500K': 500_000,
  ...Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`${i + 1}M`, (i + 1) * 1_000_000])),
});

function readFileOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function toPool(raw: ConfigFilePool & { url: string }, where: string): SimPool {
  const address = parsePoolUrl(raw.url);
  if (!address) throw new CliUsageError(`${PROGRAM}: invalid pool URL '${raw.url}'${where}`);
  return {
    url: raw.url,
    host: address.host,
    port: address.port,
    tls: address.tls || (raw.tls ?? false),
    user: raw.user ?? DEFAULT_POOL_USER,
    pass: raw.pass ?? DEFAULT_POOL_PASS,
    rigId: raw.rigId ?? null,
    algo: raw.algo ?? null,
    coin: raw.coin ?? null,
    keepalive: raw.keepalive ?? false,
    nicehash: raw.nicehash ?? false,
    tlsFingerprint: raw.tlsFingerprint ?? null,
  };
}

/** Sets a per-pool option on `pool` (a pool being built from the command line). */
function applyPoolOption(pool: ConfigFilePool, name: string, value: string | undefined): void {
  const text = value ?? '';
  switch (name) {
    case 'url':
      pool.url = text;
      break;
    case 'user':
      pool.user = text;
      break;
    case 'pass':
      pool.pass = text;
      break;
    case 'userpass': {
      const colon = text.indexOf(':');
      if (colon === -1) throw invalid(name, text, 'user:password');
      pool.user = text.slice(0, colon);
      pool.pass = text.slice(colon + 1);
      break;
    }
    case 'rig-id':
      pool.rigId = text;
      break;
    case 'algo':
      pool.algo = text;
      break;
    case 'coin':
      pool.coin = text;
      break;
    case 'keepalive':
      pool.keepalive = true;
      break;
    case 'nicehash':
      pool.nicehash = true;
      break;
    case 'tls':
      pool.tls = true;
      break;
    case 'tls-fingerprint':
      pool.tlsFingerprint = text;
      break;
    default:
      // --daemon, --self-select, --proxy…: accepted, not simulated.
      break;
  }
}

/**
 * Parses a simulator command line into the options it runs with.
 *
 * Precedence (documented, and as close to xmrig as is reasonable):
 * 1. `-h/--help` and `-V/--version` anywhere win, as xmrig checks for them before parsing.
 * 2. Defaults, then the `-c` config file (the last one given), then the command line: a value
 *    given on the command line beats the file's.
 * 3. Pools: per-pool options apply to the pool of the preceding `-o` (before any `-o`, to the
 *    first pool), as xmrig's `-o a -u u1 -o b -u u2` does. If the command line has pools, they
 *    replace the file's; otherwise the file's `pools` are used.
 * 4. `--bench` wins over pools. No pool at all is treated like `--bench=1M`.
 *
 * Throws {@link CliUsageError} for unknown options (getopt's message), bad values and bad pool
 * URLs — where xmrig would print getopt's message and carry on, the simulator exits 1 so that
 * a wrong command line in a test fails loudly.
 */
export function parseCliOptions(argv: readonly string[], io: CliParseIo = {}): CliParseResult {
  if (argv.includes('-h') || argv.includes('--help')) return { kind: 'help' };
  if (argv.includes('-V') || argv.includes('--version') || argv.includes('--versions')) {
    return { kind: 'version' };
  }
  const { entries, positionals } = scanCommandLine(argv);
  const readFile = io.readFile ?? readFileOrUndefined;
  const options = defaultSimOptions();
  options.seed = (io.randomSeed ?? (() => randomInt(0, 2 ** 32 - 1)))();
  const configErrors: string[] = [];
  const warnings = positionals.map((arg) => `unsupported non-option argument '${arg}'`);

  // 2. The config file first, so that the command line overrides it.
  let filePools: ConfigFilePool[] = [];
  const configEntry = entries.findLast((entry) => entry.name === 'config');
  if (configEntry?.value !== undefined) {
    options.configFile = configEntry.value;
    const result = parseXmrigConfigFile(configEntry.value, readFile(configEntry.value));
    if (!result.ok) {
      configErrors.push(result.message);
    } else {
      const { values } = result;
      filePools = values.pools ?? [];
      options.http = { ...options.http, ...values.http };
      if (values.threads !== undefined) {
        options.threads = values.threads;
        options.threadsExplicit = true;
      }
      for (const key of [
        'donateLevel',
        'printTime',
        'colors',
        'retries',
        'retryPause',
        'cpuPriority',
        'cpuMaxThreadsHint',
        'hugePages',
        'randomxMode',
        'userAgent',
        'verbose',
        'apiId',
        'apiWorkerId',
      ] as const) {
        if (values[key] !== undefined) Object.assign(options, { [key]: values[key] });
      }
    }
  }

  // 3. The command line, in order.
  const cliPools: ConfigFilePool[] = [];
  let benchLabel: string | undefined;
  for (const { name, value } of entries) {
    const text = value ?? '';
    const def = XMRIG_OPTIONS.find((candidate) => candidate.long === name) as OptionDef;
    if (def.pool) {
      // A new pool for -o unless the last one has no URL yet (a -u before the first -o).
      if (
        name === 'url'
          ? cliPools.length === 0 || cliPools.at(-1)?.url !== undefined
          : cliPools.length === 0
      ) {
        cliPools.push({});
      }
      applyPoolOption(cliPools.at(-1) as ConfigFilePool, name, value);
      if (name === 'algo') options.algo = text;
      continue;
    }
    switch (name) {
      case 'threads':
        options.threads = integer(name, text, 1, 256);
        options.threadsExplicit = true;
        break;
      case 'cpu-max-threads-hint':
        options.cpuMaxThreadsHint = integer(name, text, 1, 100);
        break;
      case 'cpu-priority':
        options.cpuPriority = integer(name, text, 0, 5);
        break;
      case 'no-huge-pages':
        options.hugePages = false;
        break;
      case 'randomx-mode':
        if (text !== 'auto' && text !== 'fast' && text !== 'light') {
          throw invalid(name, text, 'auto, fast or light');
        }
        options.randomxMode = text;
        break;
      case 'http-enabled':
        options.http.enabled = true;
        break;
      case 'http-host':
        options.http.host = text;
        options.http.enabled = true;
        break;
      case 'http-port':
        options.http.port = integer(name, text, 0, 65_535);
        options.http.enabled = true;
        break;
      case 'http-access-token':
        options.http.accessToken = text;
        break;
      case 'http-no-restricted':
        options.http.restricted = false;
        break;
      case 'api-worker-id':
        options.apiWorkerId = text;
        break;
      case 'api-id':
        options.apiId = text;
        break;
      case 'no-color':
        options.colors = false;
        break;
      case 'donate-level':
        options.donateLevel = integer(name, text, 0, 99);
        break;
      case 'print-time':
        options.printTime = integer(name, text, 0, 3600);
        break;
      case 'retries':
        options.retries = integer(name, text, 0, 1000);
        break;
      case 'retry-pause':
        options.retryPause = integer(name, text, 1, 3600);
        break;
      case 'user-agent':
        options.userAgent = text;
        break;
      case 'verbose':
        options.verbose = true;
        break;
      case 'bench':
        if (BENCH_SIZES[text.toUpperCase()] === undefined) {
          throw invalid(name, text, `one of ${Object.keys(BENCH_SIZES).join(', ')}`);
        }
        benchLabel = text.toUpperCase();
        break;
      case 'sim-seed':
        options.seed = integer(name, text, 0, 2 ** 32 - 1);
        break;
      case 'sim-hashrate':
        options.hashrate = decimal(name, text, 0, 1e15);
        break;
      case 'sim-time-scale':
        options.timeScale = decimal(name, text, 0.001, 100_000);
        if (options.timeScale <= 0) throw invalid(name, text, 'a number above 0');
        break;
      case 'sim-crash-after':
        options.faults.crashAfterMs = integer(name, text, 0, 2_147_483_647);
        break;
      case 'sim-hang-after':
        options.faults.hangAfterMs = integer(name, text, 0, 2_147_483_647);
        break;
      case 'sim-zero-after':
        options.faults.zeroAfterMs = integer(name, text, 0, 2_147_483_647);
        break;
      case 'sim-garbage-api':
        options.faults.garbageApi = true;
        break;
      case 'sim-slow-api':
        options.faults.slowApiMs = integer(name, text, 0, 2_147_483_647);
        break;
      case 'sim-ignore-sigterm':
        options.faults.ignoreSigterm = true;
        break;
      case 'sim-reject-rate':
        options.faults.rejectRate = decimal(name, text, 0, 1);
        break;
      default:
        // Accepted and not simulated: --background, --log-file, --asm, --randomx-*, --cpu-*…
        break;
    }
  }

  if (options.cpuMaxThreadsHint !== null && !options.threadsExplicit) {
    options.threads = Math.max(1, Math.floor((options.threads * options.cpuMaxThreadsHint) / 100));
  }

  const fromCommandLine = cliPools.filter(
    (pool): pool is ConfigFilePool & { url: string } => pool.url !== undefined,
  );
  if (fromCommandLine.length > 0) {
    options.pools = fromCommandLine.map((pool) => toPool(pool, ''));
  } else {
    options.pools = filePools
      .filter(
        (pool): pool is ConfigFilePool & { url: string } =>
          pool.url !== undefined && pool.enabled !== false,
      )
      .map((pool) => toPool(pool, ` in ${options.configFile}`));
  }

  // 4. Bench mode: --bench, or nothing to connect to.
  if (benchLabel !== undefined || options.pools.length === 0) {
    const label = benchLabel ?? '1M';
    options.bench = {
      size: BENCH_SIZES[label] as number,
      label,
      algo: options.algo ?? 'rx/0',
      implicit: benchLabel === undefined,
    };
    options.pools = [];
  }
  return { kind: 'run', options, configErrors, warnings };
}
