import { simPath } from '../sim-path.js';

/**
 * Absolute path of the built `rigkit-sim-ttminer` program (`dist/sim-ttminer.js`). Run it with
 * `process.execPath` (`node`) as the file and this path as the first argument, use
 * `startTtminerSimulator`, or point an adapter's `binary` at `writeTtminerSimulatorWrapper`'s
 * script.
 */
export const simTtminerPath: string = simPath('sim-ttminer.js');
