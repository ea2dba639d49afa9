import { writeSimulatorWrapper } from '../shared/write-simulator-wrapper.js';
import { simTtminerPath } from './sim-ttminer-path.js';

/**
 * Writes an executable `sh` script at `path` that runs `rigkit-sim-ttminer` with `args` first
 * and then the arguments it is given, and returns `path`.
 *
 * For the TT-Miner adapter, which builds the command line itself and whose `extraArgs` only
 * take `-PRT` and `-nocolor`: point its `binary` at the wrapper to add `--sim-*` options. The
 * script `exec`s Node, so the process id is the simulator's own.
 *
 * ```ts
 * const binary = await writeTtminerSimulatorWrapper(join(dir, 'TT-Miner'), ['--sim-overheat', '0', '--sim-time-scale', '30']);
 * ```
 */
export function writeTtminerSimulatorWrapper(
  path: string,
  args: readonly string[] = [],
  nodePath: string = process.execPath,
): Promise<string> {
  return writeSimulatorWrapper(path, simTtminerPath, args, nodePath);
}
