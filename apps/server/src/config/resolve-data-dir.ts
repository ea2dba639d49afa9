import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import envPaths from 'env-paths';

/** The project-local data dir that `rigkit serve --demo` (and `npm start`) creates. */
export const LOCAL_DATA_DIR = '.rigkit-data';

/**
 * Where Rigkit keeps its files: explicit → `RIGKIT_DATA_DIR` → a `.rigkit-data` folder in the
 * working directory, when one exists → the OS data dir (env-paths).
 */
export function resolveDataDir(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string {
  if (explicit) return resolve(explicit);
  if (env.RIGKIT_DATA_DIR) return resolve(env.RIGKIT_DATA_DIR);
  const local = join(cwd, LOCAL_DATA_DIR);
  if (existsSync(local)) return local;
  return envPaths('rigkit', { suffix: '' }).data;
}
