import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigInvalidError, type ConfigIssue } from '@rigkit/core';
import { ConfigSchema, type RigkitConfig } from './config-schema.js';

const CANDIDATES = [
  'rigkit.config.ts',
  'rigkit.config.mts',
  'rigkit.config.js',
  'rigkit.config.mjs',
  'rigkit.config.json',
];

/** A loaded configuration and where it came from. */
export interface LoadedConfig {
  config: RigkitConfig;
  /** The config file, or `undefined` when defaults (and env) were used. */
  file: string | undefined;
  /** Folder adapters are resolved from: the config file's, or the working directory. */
  baseDir: string;
}

/**
 * Loads `rigkit.config.*` (explicit path, or the first candidate in `cwd`), applies `RIGKIT_*`
 * environment overrides, and validates the result. Every problem is reported by key.
 */
export async function loadConfig(
  options: { file?: string | undefined; cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const file = options.file
    ? resolve(cwd, options.file)
    : CANDIDATES.map((c) => resolve(cwd, c)).find(existsSync);
  if (options.file && !existsSync(file as string)) {
    throw new ConfigInvalidError(`config file ${options.file}`, [
      { path: '', message: 'file not found' },
    ]);
  }
  const raw = file ? await readConfigFile(file) : {};
  const merged = applyEnv(raw, env);
  const result = ConfigSchema.safeParse(merged);
  if (!result.success) {
    const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    throw new ConfigInvalidError(
      file ? `config in ${file}` : 'config from the environment',
      issues,
    );
  }
  return { config: result.data, file, baseDir: file ? dirname(file) : cwd };
}

async function readConfigFile(file: string): Promise<unknown> {
  const ext = extname(file);
  try {
    if (ext === '.json') return JSON.parse(await readFile(file, 'utf8'));
    if (ext === '.ts' || ext === '.mts') {
      // Only TypeScript configs pay for a transpiler, and only when one is used.
      const { createJiti } = await import('jiti');
      const jiti = createJiti(import.meta.url, { interopDefault: true });
      return await jiti.import(file, { default: true });
    }
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    return module.default ?? module;
  } catch (error) {
    const message =
      error instanceof SyntaxError ? `cannot parse: ${error.message}` : 'cannot load the file';
    throw new ConfigInvalidError(`config file ${file}`, [{ path: '', message }], { cause: error });
  }
}

/** `RIGKIT_HOST`, `RIGKIT_PORT`, `RIGKIT_TOKEN`, `RIGKIT_DATA_DIR`, `RIGKIT_LOG_LEVEL`. */
function applyEnv(raw: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const config = structuredClone(raw) as Record<string, Record<string, unknown> | unknown>;
  const section = (key: string) => {
    const value = config[key];
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
    const fresh: Record<string, unknown> = {};
    config[key] = fresh;
    return fresh;
  };
  if (env.RIGKIT_HOST) section('server').host = env.RIGKIT_HOST;
  if (env.RIGKIT_PORT) section('server').port = Number(env.RIGKIT_PORT);
  if (env.RIGKIT_TOKEN) section('auth').token = env.RIGKIT_TOKEN;
  if (env.RIGKIT_DATA_DIR) config.dataDir = env.RIGKIT_DATA_DIR;
  if (env.RIGKIT_LOG_LEVEL) section('log').level = env.RIGKIT_LOG_LEVEL;
  return config;
}
