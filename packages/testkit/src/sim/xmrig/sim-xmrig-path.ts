import { simPath } from '../sim-path.js';

/**
 * Absolute path of the built `rigkit-sim-xmrig` program (`dist/sim-xmrig.js`). Run it with
 * `process.execPath` (`node`) as the file and this path as the first argument, or use
 * `startXmrigSimulator`.
 */
export const simXmrigPath: string = simPath('sim-xmrig.js');
