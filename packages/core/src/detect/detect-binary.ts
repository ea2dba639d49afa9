import { execa } from 'execa';
import type { DetectResult } from '../adapter/adapter.js';
import { AbortedError } from '../errors/errors.js';
import { RigkitError } from '../errors/rigkit-error.js';
import { type Logger, silentLogger } from '../logger.js';
import { findExecutable } from './find-executable.js';

/** Options of {@link detectBinary}. */
export interface DetectBinaryOptions {
  /** Human name of the miner in messages, e.g. `xmrig`. */
  name: string;
  /** How its version calls itself, when not `name` (xmrig prints `XMRig 6.26.0`). */
  versionLabel?: string;
  /** A path, or a name looked up on PATH. */
  binary: string;
  /** The arguments that make it print its version, e.g. `['--version']`. */
  versionArgs: readonly string[];
  /** Reads the version from stdout + stderr; `undefined` when there is none. */
  parseVersion: (output: string) => string | undefined;
  /** Some miners print their version and then exit non-zero: accept the version then. */
  acceptVersionOnFailedExit?: boolean;
  signal?: AbortSignal | undefined;
  logger?: Logger | undefined;
  /** How long the version call may take. Default 10 000 ms. */
  timeoutMs?: number | undefined;
  /** PATH to search (default `process.env.PATH`). */
  envPath?: string | undefined;
}

/**
 * For adapters' `detect()`: finds the binary and asks it for its version (an argument array,
 * no shell).
 *
 * - not on PATH / not executable → `{ found: false, message }`;
 * - found, version printed → `{ found: true, path, version }`;
 * - found but the output has no version → `{ found: true, path, message }`;
 * - found but it cannot be run, fails or times out → throws `E_DETECT_FAILED`;
 * - aborted through `signal` → throws `E_ABORTED`.
 */
export async function detectBinary(options: DetectBinaryOptions): Promise<DetectResult> {
  const { name, binary, signal } = options;
  const logger = options.logger ?? silentLogger;
  const flag = options.versionArgs.join(' ');
  if (signal?.aborted) throw new AbortedError(`${name} detection aborted`);
  const path = await findExecutable(binary, options.envPath ?? process.env.PATH);
  if (path === undefined) {
    const where = binary.includes('/') ? 'is not an executable file' : 'was not found on PATH';
    return { found: false, message: `${name} binary "${binary}" ${where}` };
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const result = await execa(path, [...options.versionArgs], {
    reject: false,
    stdin: 'ignore',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024,
    ...(signal ? { cancelSignal: signal } : {}),
    env: { NO_COLOR: '1' },
  });
  if (signal?.aborted) throw new AbortedError(`${name} detection aborted`);
  const version = options.parseVersion(`${result.stdout}\n${result.stderr}`);
  const exited = result.exitCode !== undefined && !result.timedOut;
  const tolerated = options.acceptVersionOnFailedExit === true && exited && version !== undefined;
  if (result.failed && !tolerated) {
    const reason = result.timedOut
      ? `did not answer ${flag} within ${timeoutMs} ms`
      : result.exitCode !== undefined
        ? `exited with code ${result.exitCode} on ${flag}`
        : `could not be run (${(result as { code?: string }).code ?? 'unknown error'})`;
    logger.warn(
      { path, exitCode: result.exitCode, timedOut: result.timedOut },
      `${name} ${flag} failed`,
    );
    throw new RigkitError('E_DETECT_FAILED', `${name} at ${path} ${reason}`, {
      cause: result,
      details: { path, exitCode: result.exitCode, timedOut: result.timedOut },
    });
  }
  if (version === undefined)
    return {
      found: true,
      path,
      message: `${path} ${flag} printed no ${options.versionLabel ?? name} version`,
    };
  logger.debug({ path, version }, `found ${name}`);
  return { found: true, path, version };
}
