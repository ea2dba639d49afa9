import { readFile } from 'node:fs/promises';
import { CliError, usageError } from '../exit-codes.js';

/** `rigkit proxy`'s flags after commander parsed them (seconds where the option says so). */
export interface ProxyFlags {
  protocol?: 'cryptonote' | 'stratum-v1' | undefined;
  mode?: 'aggregate' | 'passthrough' | undefined;
  listen?: ListenAddress | undefined;
  /** `--pool`, repeatable: replaces the config file's pools, in failover order. */
  pool?: readonly string[] | undefined;
  /** Pool login for every pool. */
  user?: string | undefined;
  /** The resolved pool password ({@link resolvePoolPass}), for every pool. */
  pass?: string | undefined;
  maxConnections?: number | undefined;
  maxConnectionsPerIp?: number | undefined;
  maxLineBytes?: number | undefined;
  maxWorkers?: number | undefined;
  messagesPerSecond?: number | undefined;
  /** Seconds. */
  loginTimeout?: number | undefined;
  /** Seconds. */
  idleTimeout?: number | undefined;
}

/** `--listen`: a host (optional: the config's, else 127.0.0.1) and a port. */
export interface ListenAddress {
  host?: string;
  port: number;
}

/** The proxy options built from a config file and flags, before validation. */
export interface ProxyInput {
  /** Goes to `parseProxyOptions` as is. */
  options: Record<string, unknown>;
  /** Which flag set which option path, so a validation issue can name the flag. */
  flagFor(path: string): string | undefined;
}

const LIMIT_FLAGS = [
  ['maxConnections', '--max-connections', 1],
  ['maxConnectionsPerIp', '--max-connections-per-ip', 1],
  ['maxLineBytes', '--max-line-bytes', 1],
  ['maxWorkers', '--max-workers', 1],
  ['messagesPerSecond', '--messages-per-second', 1],
  ['loginTimeout', '--login-timeout', 1000],
  ['idleTimeout', '--idle-timeout', 1000],
] as const;

const LIMIT_KEYS: Readonly<Record<(typeof LIMIT_FLAGS)[number][0], string>> = {
  maxConnections: 'maxConnections',
  maxConnectionsPerIp: 'maxConnectionsPerIp',
  maxLineBytes: 'maxLineBytes',
  maxWorkers: 'maxWorkers',
  messagesPerSecond: 'messagesPerSecond',
  loginTimeout: 'loginTimeoutMs',
  idleTimeout: 'idleTimeoutMs',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges flags over a config file's proxy options (the same object a server's `stratum-proxy`
 * miner takes as `options`). Flags win; `--pool` replaces the file's pool list, `--user` and
 * the password apply to every pool, `--listen` without a host keeps the file's host. Pure:
 * no I/O, no validation (that is `parseProxyOptions`' job).
 */
export function proxyOptionsFromFlags(
  flags: ProxyFlags,
  file: Readonly<Record<string, unknown>> = {},
): ProxyInput {
  const options: Record<string, unknown> = { ...file };
  const sources: Array<[string, string]> = [];
  const set = (key: string, value: unknown, flag: string) => {
    options[key] = value;
    sources.push([key, flag]);
  };
  if (flags.protocol !== undefined) set('protocol', flags.protocol, '--protocol');
  if (flags.mode !== undefined) set('mode', flags.mode, '--mode');
  if (flags.listen !== undefined) {
    const base = isRecord(file.listen) ? file.listen : {};
    set('listen', { ...base, ...flags.listen }, '--listen');
  }
  if (flags.pool !== undefined && flags.pool.length > 0) {
    set(
      'pools',
      flags.pool.map((url) => ({ url })),
      '--pool',
    );
  }
  if ((flags.user !== undefined || flags.pass !== undefined) && Array.isArray(options.pools)) {
    options.pools = options.pools.map((pool: unknown) =>
      isRecord(pool)
        ? {
            ...pool,
            ...(flags.user === undefined ? {} : { user: flags.user }),
            ...(flags.pass === undefined ? {} : { pass: flags.pass }),
          }
        : pool,
    );
    if (flags.user !== undefined) sources.push(['pools.*.user', '--user']);
    if (flags.pass !== undefined) sources.push(['pools.*.pass', '--pass/--pass-file']);
  }
  const limits: Record<string, unknown> = isRecord(file.limits) ? { ...file.limits } : {};
  let limitsSet = false;
  for (const [name, flag, scale] of LIMIT_FLAGS) {
    const value = flags[name];
    if (value === undefined) continue;
    const key = LIMIT_KEYS[name];
    limits[key] = value * scale;
    sources.push([`limits.${key}`, flag]);
    limitsSet = true;
  }
  if (limitsSet) options.limits = limits;

  return {
    options,
    flagFor(path) {
      for (const [prefix, flag] of sources) {
        const pattern = prefix.replace('.*.', '.\\d+.');
        if (new RegExp(`^${pattern}(\\.|$)`).test(path)) {
          // `pools.0.url` came from --pool, but `pools.0.user` only if --user set it.
          if (prefix === 'pools' && /^pools\.\d+\.(user|pass)(\.|$)/.test(path)) continue;
          return flag;
        }
      }
      // A pool without a login: --user is the fix, whichever way the pool was given.
      return /^pools\.\d+\.user$/.test(path) ? '--user' : undefined;
    },
  };
}

/** Where the pool password comes from, and the password itself. */
export interface PoolPass {
  pass: string | undefined;
  source: 'flag' | 'file' | 'env' | undefined;
}

/** Longest password file read; the proxy takes at most 256 characters. */
const MAX_PASS_FILE_BYTES = 4096;

/**
 * The pool password: `--pass-file` (first line, trailing newline dropped), else `--pass`, else
 * `$RIGKIT_POOL_PASS`; `--pass` and `--pass-file` together are a usage error. Errors never
 * quote the password or the file's content.
 */
export async function resolvePoolPass(
  flags: { pass?: string | undefined; passFile?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
  read: (path: string) => Promise<Buffer> = (path) => readFile(path),
): Promise<PoolPass> {
  if (flags.pass !== undefined && flags.passFile !== undefined) {
    throw usageError('give either --pass or --pass-file, not both');
  }
  if (flags.passFile !== undefined) {
    let content: Buffer;
    try {
      content = await read(flags.passFile);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new CliError(
        'E_CONFIG_INVALID',
        `--pass-file: cannot read ${flags.passFile} (${code})`,
        {
          cause: error,
        },
      );
    }
    if (content.length > MAX_PASS_FILE_BYTES) {
      throw new CliError(
        'E_CONFIG_INVALID',
        `--pass-file: ${flags.passFile} is larger than ${MAX_PASS_FILE_BYTES} bytes`,
      );
    }
    const text = content.toString('utf8');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    return { pass: firstLine, source: 'file' };
  }
  if (flags.pass !== undefined) return { pass: flags.pass, source: 'flag' };
  const fromEnv = env.RIGKIT_POOL_PASS;
  if (fromEnv !== undefined && fromEnv !== '') return { pass: fromEnv, source: 'env' };
  return { pass: undefined, source: undefined };
}

/** Largest config file read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Reads a JSON proxy config file; exit 3 (config) when it cannot be read or parsed. */
export async function readProxyConfigFile(
  path: string,
  read: (path: string) => Promise<Buffer> = (file) => readFile(file),
): Promise<Record<string, unknown>> {
  let content: Buffer;
  try {
    content = await read(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CliError('E_CONFIG_INVALID', `cannot read config file ${path} (${code})`, {
      cause: error,
    });
  }
  if (content.length > MAX_CONFIG_BYTES) {
    throw new CliError(
      'E_CONFIG_INVALID',
      `config file ${path} is larger than ${MAX_CONFIG_BYTES} bytes`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString('utf8'));
  } catch (error) {
    // The parser's message quotes the text around the error, which may be a password: only
    // its position is reported.
    const where = /position \d+/.exec((error as Error).message)?.[0];
    throw new CliError(
      'E_CONFIG_INVALID',
      `config file ${path} is not valid JSON${where ? ` (at ${where})` : ''}`,
    );
  }
  if (!isRecord(parsed)) {
    throw new CliError('E_CONFIG_INVALID', `config file ${path} must hold a JSON object`);
  }
  return parsed;
}
