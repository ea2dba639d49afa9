#!/usr/bin/env node
/**
 * The `rigkit-sim-pool` program (built to `dist/sim-pool.js`): a CryptoNote or Bitcoin Stratum
 * V1 pool simulator driven by JSON commands on stdin. See `pool-sim-main.ts` and `--help`.
 *
 * @module
 */
import { poolSimMain } from './pool-sim-main.js';

// A controller that died closes our pipes: that is not worth a crash report.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});

const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
  process.once('SIGTERM', resolve);
  process.once('SIGINT', resolve);
});

poolSimMain(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  stopSignal,
}).then(
  (code) => {
    process.exitCode = code;
    // stdin (a pipe or TTY) and the signal handlers would keep the process alive.
    process.stdin.destroy();
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
  },
  (error: unknown) => {
    process.stderr.write(
      `rigkit-sim-pool: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(70);
  },
);
