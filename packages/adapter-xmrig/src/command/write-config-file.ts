import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RigkitError } from '@rigkit/core';

/**
 * Writes `config` as `xmrig-<random>.json` into `dir` with mode 0600 and returns its path.
 *
 * The file is created exclusively under a temporary name and renamed into place, so a reader
 * never sees a half-written file and an existing file is never followed or overwritten.
 * Throws `E_PROCESS_SPAWN` (the miner cannot be launched) when the file cannot be written.
 */
export async function writeConfigFile(dir: string, config: object): Promise<string> {
  const file = join(dir, `xmrig-${randomBytes(8).toString('hex')}.json`);
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temp, file);
    return file;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    // The message names the directory only; the cause (an fs error) holds no file content.
    throw new RigkitError('E_PROCESS_SPAWN', `could not write the xmrig config file in ${dir}`, {
      cause: error,
      details: { dir },
    });
  }
}

/** Removes a config file written by {@link writeConfigFile}; a missing file is fine. */
export async function removeConfigFile(file: string): Promise<void> {
  await rm(file, { force: true });
}
