import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import envPaths from 'env-paths';
import { CliError } from './exit-codes.js';
import type { ServerTarget } from './io.js';

/** Written by a running server in its data dir: where it listens. */
export const SERVER_INFO_FILE = 'server.json';
/** The API token, one line, mode 0600. */
export const TOKEN_FILE = 'api-token';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where Rigkit keeps its files: explicit → `RIGKIT_DATA_DIR` → a `.rigkit-data` folder in the
 * working directory (what `npm start` / `rigkit serve --demo` creates) → the OS data dir. The
 * same rule as `resolveDataDir()` of `@rigkit/server`, repeated here so that commands which
 * only talk to the API never load the server (fastify) just to find it.
 */
export function resolveDataDir(
  explicit?: string,
  env: Env = process.env,
  cwd = process.cwd(),
): string {
  if (explicit) return resolve(explicit);
  if (env.RIGKIT_DATA_DIR) return resolve(env.RIGKIT_DATA_DIR);
  const local = join(cwd, LOCAL_DATA_DIR);
  if (existsSync(local)) return local;
  return envPaths('rigkit', { suffix: '' }).data;
}

/** The project-local data dir name. */
export const LOCAL_DATA_DIR = '.rigkit-data';

/** The content of `<dataDir>/server.json`. */
export interface ServerInfo {
  url: string;
  pid: number;
  startedAt: number;
}

/** Reads `server.json`; `undefined` when absent, a CLI error when unreadable or malformed. */
export async function readServerInfo(dataDir: string): Promise<ServerInfo | undefined> {
  const file = join(dataDir, SERVER_INFO_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError('E_CONFIG_INVALID', `cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const info = json as Partial<ServerInfo> | undefined;
  if (
    typeof info?.url !== 'string' ||
    !/^https?:\/\//.test(info.url) ||
    typeof info.pid !== 'number' ||
    typeof info.startedAt !== 'number'
  ) {
    throw new CliError(
      'E_CONFIG_INVALID',
      `${file} is not a server file ({ "url", "pid", "startedAt" }); remove it if no server runs`,
    );
  }
  return { url: info.url, pid: info.pid, startedAt: info.startedAt };
}

/** Reads the API token file; `undefined` when it does not exist. */
export async function readTokenFile(dataDir: string): Promise<string | undefined> {
  try {
    const token = (await readFile(join(dataDir, TOKEN_FILE), 'utf8')).trim();
    return token === '' ? undefined : token;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(
      'E_CONFIG_INVALID',
      `cannot read the API token in ${join(dataDir, TOKEN_FILE)}: ${(error as Error).message}`,
    );
  }
}

/** True when a process with this pid exists (also one of another user). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Global options that steer discovery. */
export interface DiscoveryOptions {
  dataDir: string;
  url?: string | undefined;
  token?: string | undefined;
  env?: Env;
}

/** The token a command uses, and where it came from. */
export async function resolveToken(
  options: DiscoveryOptions,
): Promise<{ token: string | undefined; source: 'option' | 'env' | 'file' | 'none' }> {
  if (options.token) return { token: options.token, source: 'option' };
  const env = options.env ?? process.env;
  if (env.RIGKIT_TOKEN) return { token: env.RIGKIT_TOKEN, source: 'env' };
  const token = await readTokenFile(options.dataDir);
  return token === undefined ? { token, source: 'none' } : { token, source: 'file' };
}

/**
 * Finds the server to talk to: `--url` (or `RIGKIT_URL`) wins; otherwise `server.json` in the
 * data dir, which must name a live process. The token comes from `--token`, `RIGKIT_TOKEN` or
 * the data dir's token file. No server → a CLI error with exit code 5 and what to do.
 */
export async function discoverServer(options: DiscoveryOptions): Promise<ServerTarget> {
  const env = options.env ?? process.env;
  const { token } = await resolveToken(options);
  const explicit = options.url ?? env.RIGKIT_URL;
  if (explicit) {
    if (!/^https?:\/\//.test(explicit)) {
      throw new CliError('E_USAGE', `--url must be an http(s) URL, got "${explicit}"`);
    }
    return { url: explicit, token, dataDir: options.dataDir };
  }
  const info = await readServerInfo(options.dataDir);
  const hint = 'start one with `rigkit serve` (or pass --data-dir / --url)';
  if (info === undefined) {
    throw new CliError(
      'E_SERVER_NOT_RUNNING',
      `no Rigkit server is running for data dir ${options.dataDir}; ${hint}`,
    );
  }
  if (!isPidAlive(info.pid)) {
    throw new CliError(
      'E_SERVER_NOT_RUNNING',
      `no Rigkit server is running for data dir ${options.dataDir} (stale ${SERVER_INFO_FILE} of pid ${info.pid}); ${hint}`,
    );
  }
  return { url: info.url, token, dataDir: options.dataDir };
}
