import { chmod, writeFile } from 'node:fs/promises';
import { simXmrigPath } from './sim-xmrig-path.js';

const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * Writes an executable `sh` script at `path` that runs `rigkit-sim-xmrig` with `args` first and
 * then the arguments it is given, and returns `path`.
 *
 * For code that takes an xmrig *binary* and builds the command line itself — the xmrig adapter,
 * whose `extraArgs` only accepts real xmrig flags: point its `binary` at the wrapper to add
 * `--sim-*` options. The script `exec`s Node, so the process id is the simulator's own.
 *
 * ```ts
 * const binary = await writeXmrigSimulatorWrapper(join(dir, 'xmrig'), ['--sim-time-scale', '10', '--sim-hang-after', '3000']);
 * ```
 */
export async function writeXmrigSimulatorWrapper(
  path: string,
  args: readonly string[] = [],
  nodePath: string = process.execPath,
): Promise<string> {
  const command = [nodePath, simXmrigPath, ...args].map(quote).join(' ');
  await writeFile(path, `#!/bin/sh\nexec ${command} "$@"\n`, { mode: 0o755 });
  // The mode of writeFile is masked by the umask and ignored for an existing file.
  await chmod(path, 0o755);
  return path;
}
