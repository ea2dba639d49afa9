import { simPath } from '../sim-path.js';

/**
 * Absolute path of the built `rigkit-sim-pool` program (`dist/sim-pool.js`). Run it with
 * `process.execPath` (`node`) as the file and this path as the first argument:
 * `node <simPoolPath()> --protocol stratum-v1 --port 0`.
 */
export function simPoolPath(): string {
  return simPath('sim-pool.js');
}
