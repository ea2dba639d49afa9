import {
  AbortedError,
  type DetectResult,
  findExecutable,
  type Logger,
  RigkitError,
  silentLogger,
} from '@rigkit/core';
import { execa } from 'execa';
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
export async function detectTtminer(options: DetectTtminerOptions = {}): Promise<DetectResult> {
  const binary = options.binary ?? 'TT-Miner';
  const logger = options.logger ?? silentLogger;
  const signal = options.signal;
  if (signal?.aborted) throw new AbortedError('TT-Miner detection aborted');
  const path = await findExecutable(binary, options.envPath ?? process.env.PATH);
  if (path === undefined) {
    const where = binary.includes('/') ? 'is not an executable file' : 'was not found on PATH';
    return { found: false, message: `TT-Miner binary "${binary}" ${where}` };
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const result = await execa(path, ['-v'], {
    reject: false,
    stdin: 'ignore',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024,
    ...(signal ? { cancelSignal: signal } : {}),
    env: { NO_COLOR: '1' },
  });
  if (signal?.aborted) throw new AbortedError('TT-Miner detection aborted');
  const version = parseTtminerVersion(`${result.stdout}\n${result.stderr}`);
  const exited = result.exitCode !== undefined && !result.timedOut;
  if (result.failed && !(exited && version !== undefined)) {
    const reason = result.timedOut
      ? `did not answer -v within ${timeoutMs} ms`
      : result.exitCode !== undefined
        ? `exited with code ${result.exitCode} on -v`
        : `could not be run (${(result as { code?: string }).code ?? 'unknown error'})`;
    logger.warn(
      { path, exitCode: result.exitCode, timedOut: result.timedOut },
      'TT-Miner -v failed',
    );
    throw new RigkitError('E_DETECT_FAILED', `TT-Miner at ${path} ${reason}`, {
      cause: result,
      details: { path, exitCode: result.exitCode, timedOut: result.timedOut },
    });
  }
  if (version === undefined) {
    return { found: true, path, message: `${path} -v printed no TT-Miner version` };
  }
  logger.debug({ path, version }, 'found TT-Miner');
  return { found: true, path, version };
}
