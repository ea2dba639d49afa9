import { randomInt } from 'node:crypto';
import { CliUsageError as SimulatorUsageError } from '../shared/simulator-main.js';
import { parseApiBind, parsePoolArg, parsePoolUrl } from './pool-arg.js';
import {
  defaultTtminerSimOptions,
  type TtminerSimOptions,
  type TtminerSimPool,
} from './ttminer-sim-options.js';

/** How an option of the table is spelled and whether it takes a value. */
interface OptionDef {
  /** The canonical name (used in messages and below). */
  readonly name: string;
  /** Every accepted spelling, exactly (TT-Miner's one-dash style, and `--` for long names). */
  readonly spellings: readonly string[];
  readonly value: boolean;
}

const opt = (value: boolean, ...spellings: string[]): OptionDef => ({
  name: spellings[0] as string,
  spellings,
  value,
});

/**
 * The options the simulator understands: TT-Miner's that the Rigkit adapter uses (and a few
 * more), and its own `--sim-*`. Spellings are matched exactly (`-P` is not `-p`); long names
 * take one or two dashes and may carry their value after `=`.
 */
export const TTMINER_OPTIONS: readonly OptionDef[] = Object.freeze([
  opt(true, '-a', '-algo', '--algo'),
  opt(true, '-c', '-coin', '--coin'),
  opt(true, '-P', '-pool', '--pool'),
  opt(true, '-o', '-url', '--url'),
  opt(true, '-u', '-user', '--user'),
  opt(true, '-p', '-pass', '--pass'),
  opt(true, '-w', '-worker', '--worker'),
  opt(true, '-d', '-devices', '--devices', '-device', '--device'),
  opt(true, '-i', '-intensity', '--intensity'),
  opt(true, '-b', '-api-bind', '--api-bind'),
  opt(true, '--api-password', '-api-password'),
  opt(false, '-nocolor', '--nocolor', '-no-color', '--no-color'),
  opt(true, '-PRT', '--PRT'),
  opt(false, '-v', '-version', '--version'),
  opt(false, '-l', '-list', '--list'),
  opt(false, '-h', '-help', '--help'),
  opt(true, '--sim-seed'),
  opt(true, '--sim-time-scale'),
  opt(true, '--sim-hashrate'),
  opt(true, '--sim-gpus'),
  opt(false, '--sim-no-power'),
  opt(true, '--sim-crash-after'),
  opt(true, '--sim-hang-after'),
  opt(false, '--sim-zero-until-first-share'),
  opt(true, '--sim-gpu-lost'),
  opt(true, '--sim-gpu-lost-after'),
  opt(true, '--sim-overheat'),
  opt(false, '--sim-garbage-api'),
  opt(true, '--sim-slow-api'),
  opt(false, '--sim-ignore-sigterm'),
]);

const PROGRAM = 'rigkit-sim-ttminer';

/** A command line the simulator refuses: `message`, after the program name, goes to stderr. */
export class CliUsageError extends SimulatorUsageError {
  constructor(message: string) {
    super(`${PROGRAM}: ${message}`);
  }
}

/** One option occurrence, under its canonical name. */
export interface CliEntry {
  name: string;
  value: string | undefined;
}

function findOption(spelling: string): OptionDef | undefined {
  return TTMINER_OPTIONS.find((def) => def.spellings.includes(spelling));
}

/**
 * Splits `argv` into options in command-line order: `-x value`, `-name value`, `--name value`,
 * and `-name=value` / `--name=value` for names longer than one letter. Throws
 * {@link CliUsageError} for an unknown option, a missing value, a value given to a flag, or an
 * argument that is not an option.
 */
export function scanCommandLine(argv: readonly string[]): CliEntry[] {
  const entries: CliEntry[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    let def = findOption(arg);
    let value: string | undefined;
    if (!def) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      def = eq > 2 ? findOption(name) : undefined;
      if (!def) {
        throw new CliUsageError(
          arg.startsWith('-')
            ? `unknown option '${name}' (see -h)`
            : `unexpected argument '${arg}' (see -h)`,
        );
      }
      if (!def.value) throw new CliUsageError(`option '${name}' takes no value`);
      value = arg.slice(eq + 1);
    } else if (def.value) {
      value = argv[i + 1];
      if (value === undefined) throw new CliUsageError(`option '${arg}' needs a value`);
      i++;
    }
    entries.push({ name: def.name, value });
  }
  return entries;
}

/** The outcome of {@link parseCliOptions}. */
export type CliParseResult =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'list'; options: TtminerSimOptions }
  | { kind: 'run'; options: TtminerSimOptions };

/** How {@link parseCliOptions} picks a seed (tests replace it). */
export interface CliParseIo {
  randomSeed?: () => number;
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliUsageError(
      `invalid value '${value}' for ${name} (an integer from ${min} to ${max})`,
    );
  }
  return n;
}

function decimal(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new CliUsageError(
      `invalid value '${value}' for ${name} (a number from ${min} to ${max})`,
    );
  }
  return n;
}

const RATE_SUFFIX: Readonly<Record<string, number>> = { '': 1, k: 1e3, m: 1e6, g: 1e9 };

/** `14500000`, `14.5M`, `950k`: a hashrate in H/s. */
function hashrate(name: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(value.trim());
  const n = match ? Number(match[1]) * (RATE_SUFFIX[(match[2] as string).toLowerCase()] ?? 1) : NaN;
  if (!Number.isFinite(n) || n > 1e15) {
    throw new CliUsageError(`invalid value '${value}' for ${name} (H/s, e.g. 14500000 or 14.5M)`);
  }
  return n;
}

function deviceList(value: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  const devices = parts.map((part) => integer('-d', part, 0, 255));
  if (new Set(devices).size !== devices.length) {
    throw new CliUsageError(`invalid value '${value}' for -d (each GPU once)`);
  }
  return devices;
}

/** An identifier-ish value (algorithm, coin, worker): no spaces, no control characters. */
function word(name: string, value: string): string {
  if (!/^[\x21-\x7e]{1,64}$/.test(value)) {
    throw new CliUsageError(`invalid value for ${name} (1 to 64 visible ASCII characters)`);
  }
  return value;
}

/**
 * Parses a simulator command line into the options it runs with.
 *
 * - `-v` and `-h` anywhere win, as they do in TT-Miner; `-l` lists the simulated GPUs after the
 *   rest was checked (it needs `--sim-gpus`).
 * - Pools come in command-line order: each `-P [scheme://]user[.worker][:pass]@host:port`, and
 *   each `-o [scheme://]host:port`, which takes the user from `-u` (plus `.worker` from `-w`)
 *   and the password from `-p` — those three apply to every `-o` pool, wherever they are.
 * - `-d 0,1` picks GPUs among the `--sim-gpus` simulated ones (default: all).
 * - `--sim-gpu-lost` and `--sim-overheat` name CUDA indexes that are mined with, and repeat.
 *
 * Throws {@link CliUsageError} (exit 1) for anything it cannot use. Messages never quote a
 * password.
 */
export function parseCliOptions(argv: readonly string[], io: CliParseIo = {}): CliParseResult {
  const entries = scanCommandLine(argv);
  const names = new Set(entries.map((entry) => entry.name));
  if (names.has('-h')) return { kind: 'help' };
  if (names.has('-v')) return { kind: 'version' };

  const options = defaultTtminerSimOptions();
  options.seed = (io.randomSeed ?? (() => randomInt(0, 2 ** 32 - 1)))();
  let devices: number[] | undefined;
  let user: string | undefined;
  let worker: string | undefined;
  let pass: string | undefined;
  const pools: Array<TtminerSimPool | Omit<TtminerSimPool, 'login' | 'pass'>> = [];

  for (const { name, value } of entries) {
    const text = value ?? '';
    switch (name) {
      case '-a':
        options.algo = word(name, text).toUpperCase();
        break;
      case '-c':
        options.coin = word(name, text).toUpperCase();
        break;
      case '-P':
        try {
          pools.push(parsePoolArg(text));
        } catch (error) {
          throw new CliUsageError((error as Error).message);
        }
        break;
      case '-o':
        try {
          pools.push(parsePoolUrl(text));
        } catch (error) {
          throw new CliUsageError((error as Error).message);
        }
        break;
      case '-u':
        if (text === '') throw new CliUsageError('-u needs a user');
        user = text;
        break;
      case '-w':
        worker = word(name, text);
        break;
      case '-p':
        pass = text;
        break;
      case '-d':
        devices = deviceList(text);
        break;
      case '-i':
        options.intensity = integer(name, text, 1, 30);
        break;
      case '-b':
        try {
          const bind = parseApiBind(text);
          options.api.host = bind.host;
          options.api.port = bind.port;
        } catch (error) {
          throw new CliUsageError((error as Error).message);
        }
        break;
      case '--api-password':
        if (text === '') throw new CliUsageError('--api-password needs a password');
        options.api.password = text;
        break;
      case '-nocolor':
        options.colors = false;
        break;
      case '-PRT':
        options.printTime = integer(name, text, 0, 3600);
        break;
      case '--sim-seed':
        options.seed = integer(name, text, 0, 2 ** 32 - 1);
        break;
      case '--sim-time-scale':
        options.timeScale = decimal(name, text, 0.001, 100_000);
        break;
      case '--sim-hashrate':
        options.hashrate = hashrate(name, text);
        break;
      case '--sim-gpus':
        options.gpus = integer(name, text, 1, 64);
        break;
      case '--sim-no-power':
        options.power = false;
        break;
      case '--sim-crash-after':
        options.faults.crashAfterMs = integer(name, text, 0, 2_147_483_647);
        break;
      case '--sim-hang-after':
        options.faults.hangAfterMs = integer(name, text, 0, 2_147_483_647);
        break;
      case '--sim-zero-until-first-share':
        options.faults.zeroUntilFirstShare = true;
        break;
      case '--sim-gpu-lost':
        options.faults.gpuLost.push(integer(name, text, 0, 255));
        break;
      case '--sim-gpu-lost-after':
        options.faults.gpuLostAfterMs = integer(name, text, 0, 2_147_483_647);
        break;
      case '--sim-overheat':
        options.faults.overheat.push(integer(name, text, 0, 255));
        break;
      case '--sim-garbage-api':
        options.faults.garbageApi = true;
        break;
      case '--sim-slow-api':
        options.faults.slowApiMs = integer(name, text, 0, 2_147_483_647);
        break;
      case '--sim-ignore-sigterm':
        options.faults.ignoreSigterm = true;
        break;
      default:
        // -l is handled below.
        break;
    }
  }

  options.pools = pools.map((pool) => {
    if ('login' in pool) return pool;
    if (user === undefined) throw new CliUsageError('a pool given with -o needs a user (-u)');
    return {
      ...pool,
      login: worker === undefined ? user : `${user}.${worker}`,
      pass: pass ?? 'x',
    };
  });
  if (options.pools.length === 0 && (user !== undefined || worker !== undefined)) {
    throw new CliUsageError('-u and -w need a pool (-o)');
  }

  if (devices !== undefined) {
    const missing = devices.find((device) => device >= options.gpus);
    if (missing !== undefined) {
      throw new CliUsageError(
        `-d: there is no GPU ${missing} (${options.gpus} simulated, see --sim-gpus and -l)`,
      );
    }
    options.devices = devices;
  } else {
    options.devices = Array.from({ length: options.gpus }, (_, i) => i);
  }
  for (const [flag, list] of [
    ['--sim-gpu-lost', options.faults.gpuLost],
    ['--sim-overheat', options.faults.overheat],
  ] as const) {
    const stray = list.find((device) => !options.devices.includes(device));
    if (stray !== undefined) {
      throw new CliUsageError(`${flag}: GPU ${stray} is not mined with (-d)`);
    }
  }
  return { kind: names.has('-l') ? 'list' : 'run', options };
}
