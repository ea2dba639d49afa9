#!/usr/bin/env node
/**
 * The `rigkit-sim-xmrig` program (built to `dist/sim-xmrig.js`): a stand-in for xmrig 6.26
 * that tests and demos run instead of the real miner. See `main.ts` and `--help`.
 *
 * @module
 */
import { main } from './main.js';

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `rigkit-sim-xmrig: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(70);
});
