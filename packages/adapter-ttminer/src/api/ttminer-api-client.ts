import { connect, type Socket } from 'node:net';
import { isRigkitError, RigkitError } from '@rigkit/core';

/** Options of {@link TtminerApiClient}. */
export interface TtminerApiClientOptions {
  /** Port of the API (`-b 127.0.0.1:<port>`). */
  port: number;
  /** Default `127.0.0.1`; the adapter never binds the API elsewhere. */
  host?: string;
  /**
   * The API password (`--api-password`), sent as `"psw"` in each request (the Claymore
   * convention). Never logged, never in an error.
   */
  password?: string;
  /** Longest answer line accepted, bytes. Default {@link MAX_API_LINE_BYTES}. */
  maxLineBytes?: number;
}

/** The default limit on one answer line (a real `miner_getstat1` answer is about 200 bytes). */
export const MAX_API_LINE_BYTES = 64 * 1024;

/**
 * A small client for TT-Miner's API: plain TCP, one JSON-RPC request line out, one JSON line
 * back, then the connection is closed (a fresh connection per call, like every Claymore
 * monitoring tool). Uses `node:net` directly. Construction does no I/O; every call takes the
 * caller's AbortSignal (core's deadline) and fails with a typed error:
 *
 * - `E_API_UNREACHABLE` when nothing accepts the connection (TT-Miner still starting) or the
 *   connection fails;
 * - `E_API_RESPONSE` when the answer line exceeds the limit without a newline, is not JSON, or
 *   the connection closes without an answer;
 * - `E_API_TIMEOUT` when the signal fired because of a timeout (core's `E_API_TIMEOUT` reason
 *   is rethrown as is, a DOM `TimeoutError` becomes one); any other abort rethrows the
 *   signal's reason.
 *
 * The socket is destroyed on every path, including aborts.
 */
export class TtminerApiClient {
  readonly #host: string;
  readonly #port: number;
  readonly #password: string | undefined;
  readonly #maxLineBytes: number;

  constructor(options: TtminerApiClientOptions) {
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port;
    this.#password = options.password === '' ? undefined : options.password;
    this.#maxLineBytes = options.maxLineBytes ?? MAX_API_LINE_BYTES;
  }

  /** `miner_getstat1`: the parsed JSON answer (see `parseMinerGetstat1` to read it). */
  getstat1(signal: AbortSignal): Promise<unknown> {
    return this.call('miner_getstat1', signal);
  }

  /** Sends `{"id":0,"jsonrpc":"2.0","method":<method>[,"psw":…]}\n` and parses the answer. */
  async call(method: string, signal: AbortSignal): Promise<unknown> {
    const what = `TT-Miner API ${method}`;
    const request =
      this.#password === undefined
        ? { id: 0, jsonrpc: '2.0', method }
        : { id: 0, jsonrpc: '2.0', method, psw: this.#password };
    const line = await this.#exchange(`${JSON.stringify(request)}\n`, signal, what, method);
    try {
      return JSON.parse(line) as unknown;
    } catch {
      // No cause: JSON.parse quotes the text, and an answer is not ours to put in logs.
      throw new RigkitError('E_API_RESPONSE', `${what} answered something that is not JSON`, {
        details: { method, bytes: Buffer.byteLength(line) },
      });
    }
  }

  /** Connects, writes `request`, and resolves with the first non-empty answer line. */
  async #exchange(
    request: string,
    signal: AbortSignal,
    what: string,
    method: string,
  ): Promise<string> {
    if (signal.aborted) throw abortError(signal, what);
    const max = this.#maxLineBytes;
    let socket: Socket | undefined;
    let onAbort: (() => void) | undefined;
    try {
      return await new Promise<string>((resolve, reject) => {
        onAbort = () => reject(abortError(signal, what));
        signal.addEventListener('abort', onAbort, { once: true });
        const s = connect({ host: this.#host, port: this.#port });
        socket = s;
        let pending: Buffer = Buffer.alloc(0);
        const tooLarge = () =>
          new RigkitError(
            'E_API_RESPONSE',
            `${what}: the answer is longer than ${max} bytes without a newline`,
            { details: { method, maxBytes: max } },
          );
        s.setNoDelay(true);
        s.on('connect', () => s.write(request));
        s.on('data', (chunk: Buffer) => {
          pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
          for (let nl = pending.indexOf(0x0a); nl !== -1; nl = pending.indexOf(0x0a)) {
            if (nl > max) return reject(tooLarge());
            const line = pending.subarray(0, nl).toString('utf8').trim();
            pending = pending.subarray(nl + 1);
            if (line !== '') return resolve(line);
          }
          if (pending.length > max) reject(tooLarge());
        });
        s.on('end', () => {
          // Tolerate an answer that ends with the connection instead of a newline.
          const rest = pending.toString('utf8').trim();
          if (rest !== '') resolve(rest);
          else {
            reject(
              new RigkitError(
                'E_API_RESPONSE',
                `${what}: the connection closed without an answer`,
                { details: { method } },
              ),
            );
          }
        });
        s.on('error', (error: NodeJS.ErrnoException) => {
          const errno = typeof error.code === 'string' ? error.code : undefined;
          reject(
            new RigkitError(
              'E_API_UNREACHABLE',
              `${what}: no answer${errno === undefined ? '' : ` (${errno})`}`,
              { cause: error, details: { method, errno } },
            ),
          );
        });
        s.on('close', () =>
          reject(
            new RigkitError('E_API_RESPONSE', `${what}: the connection closed without an answer`, {
              details: { method },
            }),
          ),
        );
      });
    } finally {
      if (onAbort) signal.removeEventListener('abort', onAbort);
      socket?.destroy();
    }
  }
}

/** What to throw for an aborted call: a timeout becomes `E_API_TIMEOUT`, else the reason. */
function abortError(signal: AbortSignal, what: string): unknown {
  const reason: unknown = signal.reason;
  if (isRigkitError(reason) && reason.code === 'E_API_TIMEOUT') return reason;
  if (reason instanceof DOMException && reason.name === 'TimeoutError') {
    return new RigkitError('E_API_TIMEOUT', `${what} did not answer in time`, { cause: reason });
  }
  return reason;
}
