import { writeSimulatorWrapper } from '../shared/write-simulator-wrapper.js';
import { simXmrigPath } from './sim-xmrig-path.js';

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
export function writeXmrigSimulatorWrapper(
  path: string,
  args: readonly string[] = [],
  nodePath: string = process.execPath,
): Promise<string> {
  return writeSimulatorWrapper(path, simXmrigPath, args, nodePath);
}
