import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import type { CommandContext } from '../context.js';
import { isPidAlive, readServerInfo, SERVER_INFO_FILE, TOKEN_FILE } from '../discovery.js';
import { CliError } from '../exit-codes.js';
import { formatBytes, formatDuration } from '../output/format.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  id: string;
  status: CheckStatus;
  message: string;
}

export interface DoctorOptions {
  /** The port `rigkit serve` would use. Default 7420. */
  port?: number;
  /** Adapter packages whose `detect()` to run. Default: the first-party ones. */
  adapterPackages?: readonly string[];
  /** Limit of each `detect()`. Default 10 s. */
  detectTimeoutMs?: number;
}

export const MIN_NODE = [20, 19] as const;
const FIRST_PARTY_ADAPTERS = [
  '@rigkit/adapter-xmrig',
  '@rigkit/adapter-ttminer',
  '@rigkit/adapter-stratum-proxy',
];
const DB_FILE = 'rigkit.db';

/** True when `version` (`20.19.1`, `v22.0.0`) is at least {@link MIN_NODE}. */
export function nodeVersionOk(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

function checkNode(): Check {
  const version = process.versions.node;
  return nodeVersionOk(version)
    ? { id: 'node', status: 'ok', message: `v${version}` }
    : {
        id: 'node',
        status: 'fail',
        message: `v${version}; Rigkit needs Node.js ≥ ${MIN_NODE.join('.')}`,
      };
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function checkDataDir(dataDir: string): Promise<Check> {
  try {
    const info = await stat(dataDir);
    if (!info.isDirectory()) {
      return { id: 'data-dir', status: 'fail', message: `${dataDir} is not a directory` };
    }
    return (await writable(dataDir))
      ? { id: 'data-dir', status: 'ok', message: `${dataDir} (writable)` }
      : { id: 'data-dir', status: 'fail', message: `${dataDir} is not writable` };
  } catch {
    // Not there yet: `rigkit serve` creates it if the nearest existing parent is writable.
    let parent = dirname(dataDir);
    for (;;) {
      try {
        await stat(parent);
        break;
      } catch {
        const up = dirname(parent);
        if (up === parent) break;
        parent = up;
      }
    }
    return (await writable(parent))
      ? {
          id: 'data-dir',
          status: 'warn',
          message: `${dataDir} does not exist yet; \`rigkit serve\` creates it`,
        }
      : {
          id: 'data-dir',
          status: 'fail',
          message: `${dataDir} does not exist and ${parent} is not writable`,
        };
  }
}

async function checkToken(dataDir: string): Promise<Check> {
  const file = join(dataDir, TOKEN_FILE);
  try {
    const info = await stat(file);
    const loose = info.mode & 0o077;
    return loose === 0
      ? { id: 'token', status: 'ok', message: `${file} (mode 600)` }
      : {
          id: 'token',
          status: 'warn',
          message: `${file} is readable by others; run \`chmod 600 ${file}\``,
        };
  } catch {
    return { id: 'token', status: 'warn', message: 'no API token yet; `rigkit serve` creates one' };
  }
}

async function checkDatabase(dataDir: string): Promise<Check> {
  const file = join(dataDir, DB_FILE);
  try {
    const info = await stat(file);
    return { id: 'database', status: 'ok', message: `${file} (${formatBytes(info.size)})` };
  } catch {
    return {
      id: 'database',
      status: 'warn',
      message: `${file} not found (created by \`rigkit serve\`, unless storage is disabled)`,
    };
  }
}

interface ServerFacts {
  check: Check;
  /** The port of this data dir's running server, when it answers. */
  port: number | undefined;
}

async function checkServer(ctx: CommandContext): Promise<ServerFacts> {
  let info: Awaited<ReturnType<typeof readServerInfo>>;
  try {
    info = await readServerInfo(ctx.dataDir);
  } catch (error) {
    return {
      check: { id: 'server', status: 'fail', message: (error as Error).message },
      port: undefined,
    };
  }
  if (info === undefined) {
    return {
      check: {
        id: 'server',
        status: 'warn',
        message: 'not running (start it with `rigkit serve`)',
      },
      port: undefined,
    };
  }
  if (!isPidAlive(info.pid)) {
    return {
      check: {
        id: 'server',
        status: 'warn',
        message: `not running; ${SERVER_INFO_FILE} of pid ${info.pid} is stale`,
      },
      port: undefined,
    };
  }
  try {
    const client = await ctx.client({ timeoutMs: 5000 });
    const health = await client.health();
    return {
      check: {
        id: 'server',
        status: 'ok',
        message: `running at ${info.url} (pid ${info.pid}), up ${formatDuration(health.uptimeSeconds * 1000)}`,
      },
      port: Number(new URL(info.url).port) || undefined,
    };
  } catch (error) {
    return {
      check: {
        id: 'server',
        status: 'fail',
        message: `pid ${info.pid} is alive but ${info.url} does not answer: ${(error as Error).message}`,
      },
      port: undefined,
    };
  }
}

/** Whether `port` on 127.0.0.1 can be bound now. */
function portFree(port: number): Promise<boolean | NodeJS.ErrnoException> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      resolve(error.code === 'EADDRINUSE' ? false : error);
    });
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

async function checkPort(port: number, ours: number | undefined): Promise<Check> {
  if (ours === port) {
    return { id: 'port', status: 'ok', message: `${port} is used by this data dir's server` };
  }
  const free = await portFree(port);
  if (free === true) return { id: 'port', status: 'ok', message: `${port} is free` };
  if (free === false) {
    return {
      id: 'port',
      status: 'fail',
      message: `${port} is in use by another program; use \`rigkit serve --port <n>\``,
    };
  }
  return { id: 'port', status: 'warn', message: `cannot probe ${port}: ${free.message}` };
}

interface DetectingAdapter {
  kind: string;
  detect?: (ctx: { logger: unknown; signal: AbortSignal }) => Promise<{
    found: boolean;
    path?: string;
    version?: string;
    message?: string;
  }>;
}

function findAdapter(mod: Record<string, unknown>): DetectingAdapter | undefined {
  const looksLike = (v: unknown): v is DetectingAdapter =>
    typeof v === 'object' &&
    v !== null &&
    (v as { apiVersion?: unknown }).apiVersion !== undefined &&
    typeof (v as { kind?: unknown }).kind === 'string';
  if (looksLike(mod.default)) return mod.default;
  return Object.values(mod).find(looksLike);
}

async function checkAdapter(name: string, timeoutMs: number): Promise<Check | undefined> {
  let mod: Record<string, unknown>;
  try {
    const specifier = name; // resolved at run time: adapters are optional for the CLI
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' && (error as Error).message.includes(name)) {
      return undefined; // not installed: nothing to check
    }
    return { id: name, status: 'warn', message: `cannot load: ${(error as Error).message}` };
  }
  const adapter = findAdapter(mod);
  if (!adapter) return { id: name, status: 'warn', message: 'exports no adapter' };
  if (typeof adapter.detect !== 'function') {
    return { id: adapter.kind, status: 'ok', message: `${name} (nothing to detect)` };
  }
  const { silentLogger } = await import('@rigkit/core');
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const result = await adapter.detect({ logger: silentLogger, signal });
    if (result.found) {
      const what = [result.version, result.path && `at ${result.path}`].filter(Boolean).join(' ');
      return { id: adapter.kind, status: 'ok', message: what || 'found' };
    }
    return {
      id: adapter.kind,
      status: 'warn',
      message: result.message ?? `no ${adapter.kind} binary found`,
    };
  } catch (error) {
    return {
      id: adapter.kind,
      status: 'warn',
      message: signal.aborted
        ? `detect() did not finish within ${timeoutMs} ms`
        : `detect() failed: ${(error as Error).message}`,
    };
  }
}

/**
 * `rigkit doctor`: Node version, data dir, token file, server, database, port and each
 * installed first-party adapter's `detect()`, as a ✓/!/✗ checklist. Exit 1 when a check
 * fails (warnings do not fail).
 */
export async function doctor(ctx: CommandContext, opts: DoctorOptions = {}): Promise<Check[]> {
  const port = opts.port ?? 7420;
  const server = await checkServer(ctx);
  const checks: Check[] = [
    checkNode(),
    await checkDataDir(ctx.dataDir),
    await checkToken(ctx.dataDir),
    server.check,
    await checkDatabase(ctx.dataDir),
    await checkPort(port, server.port),
  ];
  const detected = await Promise.all(
    (opts.adapterPackages ?? FIRST_PARTY_ADAPTERS).map((name) =>
      checkAdapter(name, opts.detectTimeoutMs ?? 10_000),
    ),
  );
  for (const check of detected) if (check) checks.push(check);
  const ok = checks.every((check) => check.status !== 'fail');
  if (ctx.json) {
    ctx.printJson({ ok, checks });
  } else {
    const c = ctx.color;
    const mark = { ok: c.green('✓'), warn: c.yellow('!'), fail: c.red('✗') };
    const width = Math.max(...checks.map((check) => check.id.length));
    for (const check of checks) {
      ctx.out(`${mark[check.status]} ${check.id.padEnd(width)}  ${check.message}`);
    }
  }
  if (!ok) {
    throw new CliError('E_DOCTOR_FAILED', 'a check failed', { exitCode: 1, silent: true });
  }
  return checks;
}
