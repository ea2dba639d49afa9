import {
  AbortedError,
  type DetectResult,
  findExecutable,
  type Logger,
  RigkitError,
  silentLogger,
} from '@rigkit/core';
import { execa } from 'execa';
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
export async function detectXmrig(options: DetectXmrigOptions = {}): Promise<DetectResult> {
  const binary = options.binary ?? 'xmrig';
  const logger = options.logger ?? silentLogger;
  const signal = options.signal;
  if (signal?.aborted) throw new AbortedError('xmrig detection aborted');
  const path = await findExecutable(binary, options.envPath ?? process.env.PATH);
  if (path === undefined) {
    const where = binary.includes('/') ? 'is not an executable file' : 'was not found on PATH';
    return { found: false, message: `xmrig binary "${binary}" ${where}` };
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const result = await execa(path, ['--version'], {
    reject: false,
    stdin: 'ignore',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024,
    ...(signal ? { cancelSignal: signal } : {}),
    env: { NO_COLOR: '1' },
  });
  if (signal?.aborted) throw new AbortedError('xmrig detection aborted');
  if (result.failed) {
    const reason = result.timedOut
      ? `did not answer --version within ${timeoutMs} ms`
      : result.exitCode !== undefined
        ? `exited with code ${result.exitCode} on --version`
        : `could not be run (${(result as { code?: string }).code ?? 'unknown error'})`;
    logger.warn(
      { path, exitCode: result.exitCode, timedOut: result.timedOut },
      'xmrig --version failed',
    );
    throw new RigkitError('E_DETECT_FAILED', `xmrig at ${path} ${reason}`, {
      cause: result,
      details: { path, exitCode: result.exitCode, timedOut: result.timedOut },
    });
  }
  const version = parseXmrigVersion(`${result.stdout}\n${result.stderr}`);
  if (version === undefined) {
    return { found: true, path, message: `${path} --version printed no XMRig version` };
  }
  logger.debug({ path, version }, 'found xmrig');
  return { found: true, path, version };
}
