import { type DetectResult, detectBinary, type Logger } from '@rigkit/core';
import { parseXmrigVersion } from './parse-xmrig-version.js';

/** Options of {@link detectXmrig}. */
export interface DetectXmrigOptions {
  /** A path, or a name looked up on PATH. Default `xmrig`. */
  binary?: string;
  signal?: AbortSignal;
  logger?: Logger;
  /** How long `--version` may take. Default 10 000 ms. */
  timeoutMs?: number;
  /** PATH to search (default `process.env.PATH`). */
  envPath?: string;
}

/**
 * Finds xmrig and asks it for its version (`<binary> --version`, an argument array, no shell).
 *
 * - not on PATH / not executable → `{ found: false, message }`;
 * - found, version printed → `{ found: true, path, version }`;
 * - found but the output has no version → `{ found: true, path, message }`;
 * - found but it cannot be run, fails or times out → throws `E_DETECT_FAILED`;
 * - aborted through `signal` → throws `E_ABORTED`.
 */
export function detectXmrig(options: DetectXmrigOptions = {}): Promise<DetectResult> {
  return detectBinary({
    name: 'xmrig',
    versionLabel: 'XMRig',
    binary: options.binary ?? 'xmrig',
    versionArgs: ['--version'],
    parseVersion: parseXmrigVersion,
    signal: options.signal,
    logger: options.logger,
    timeoutMs: options.timeoutMs,
    envPath: options.envPath,
  });
}
