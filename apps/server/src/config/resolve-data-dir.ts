import { resolve } from 'node:path';
import envPaths from 'env-paths';

/** Where Rigkit keeps its files: explicit → `RIGKIT_DATA_DIR` → the OS data dir. */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.RIGKIT_DATA_DIR) return resolve(env.RIGKIT_DATA_DIR);
  return envPaths('rigkit', { suffix: '' }).data;
}
