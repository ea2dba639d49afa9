import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File (in the data dir) holding the API token; mode 0600. */
export const TOKEN_FILE = 'api-token';

/**
 * Reads the API token from the data dir, creating a random one on first start. The file is
 * written with mode 0600 (and re-chmodded if someone loosened it) because it grants control.
 */
export async function ensureTokenFile(dataDir: string): Promise<string> {
  const file = join(dataDir, TOKEN_FILE);
  try {
    const token = (await readFile(file, 'utf8')).trim();
    if (token.length >= 32) {
      await chmod(file, 0o600);
      return token;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
