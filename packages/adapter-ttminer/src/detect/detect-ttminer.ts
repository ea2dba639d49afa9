import { type DetectResult, detectBinary, type Logger } from '@rigkit/core';
import { parseTtminerVersion } from './parse-ttminer-version.js';

/** Options of {@link detectTtminer}. */
export interface DetectTtminerOptions {
  /** A path, or a name looked up on PATH. Default `TT-Miner`. */
  binary?: string;
  signal?: AbortSignal;
  logger?: Logger;
  /** How long `-v` may take. Default 10 000 ms. */
  timeoutMs?: number;
  /** PATH to search (default `process.env.PATH`). */
  envPath?: string;
}

/**
 * Finds TT-Miner and asks it for its version (`<binary> -v`, an argument array, no shell).
 *
 * - not on PATH / not executable → `{ found: false, message }`;
 * - found, version printed → `{ found: true, path, version }` — also when `-v` exits with a
 *   non-zero code after printing it (some builds do);
 * - found but the output has no version → `{ found: true, path, message }`;
 * - found but it cannot be run, fails without a version or times out → throws
 *   `E_DETECT_FAILED`;
 * - aborted through `signal` → throws `E_ABORTED`.
 */
export function detectTtminer(options: DetectTtminerOptions = {}): Promise<DetectResult> {
  return detectBinary({
    name: 'TT-Miner',
    versionLabel: 'TT-Miner',
    binary: options.binary ?? 'TT-Miner',
    versionArgs: ['-v'],
    parseVersion: parseTtminerVersion,
    acceptVersionOnFailedExit: true,
    signal: options.signal,
    logger: options.logger,
    timeoutMs: options.timeoutMs,
    envPath: options.envPath,
  });
}
