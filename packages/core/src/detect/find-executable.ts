import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/**
 * For adapters' `detect()`. Resolves `binary` to an executable file: a name is looked up on `PATH` (like a shell would,
 * without running one), a path (anything with a `/`) is taken relative to the working
 * directory. Returns `undefined` when nothing executable is found.
 */
export async function findExecutable(
  binary: string,
  envPath: string | undefined = process.env.PATH,
): Promise<string | undefined> {
  if (binary.includes('/') || isAbsolute(binary)) {
    const path = resolve(binary);
    return (await isExecutableFile(path)) ? path : undefined;
  }
  for (const dir of (envPath ?? '').split(delimiter)) {
    if (dir === '') continue; // an empty entry means "cwd": never search it implicitly
    const candidate = join(dir, binary);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
