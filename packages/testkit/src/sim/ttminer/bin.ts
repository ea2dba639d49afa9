#!/usr/bin/env node
/**
 * The `rigkit-sim-ttminer` program (built to `dist/sim-ttminer.js`): a stand-in for TT-Miner
 * that tests and demos run instead of the real miner. See `main.ts` and `-h`.
 *
 * @module
 */
import { main } from './main.js';

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `rigkit-sim-ttminer: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(70);
});
