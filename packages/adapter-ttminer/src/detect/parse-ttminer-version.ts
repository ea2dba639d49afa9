import { stripAnsi } from '../stdout/strip-ansi.js';

/**
 * Finds the version in `TT-Miner -v` output or a run's banner: `TT-Miner 2024.3.2`,
 * `TT-Miner/2024.3.2` (as in the API's `result[0]`), `TT-Miner v2023.1.0`, `TTMiner 6.2.0`.
 * Returns `undefined` when absent.
 */
export function parseTtminerVersion(output: string): string | undefined {
  const match = /(?:^|[\s[(])TT-?Miner[ /]v?(\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.-]+)?)/im.exec(
    stripAnsi(output),
  );
  return match?.[1];
}
