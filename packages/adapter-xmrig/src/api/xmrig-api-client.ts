import { isRigkitError, RigkitError } from '@rigkit/core';
import { httpGet } from './http-get.js';

/** Options of {@link XmrigApiClient}. */
export interface XmrigApiClientOptions {
  /** Port of the HTTP API. */
  port: number;
  /**
   * The run's access token, sent as `Authorization: Bearer <token>`. When empty or missing no
   * `Authorization` header is sent at all: xmrig answers 401 to any such header when it has no
   * token configured.
   */
  token?: string;
  /** Default `127.0.0.1`; the adapter never binds the API elsewhere. */
  host?: string;
  /** Largest body accepted, bytes. Default 1 MiB. */
  maxBodyBytes?: number;
}

/** The default limit on an xmrig API answer (a real `/2/summary` is about 2.5 KB). */
export const MAX_API_BODY_BYTES = 1024 * 1024;

/**
 * A small client for xmrig's HTTP API. Construction does no I/O; every request takes the
 * caller's AbortSignal (core's deadline) and fails with a typed error:
 *
 * - `E_API_AUTH` on 401/403 (the message never contains the token),
 * - `E_API_RESPONSE` on another non-2xx status, a body over the limit, or non-JSON,
 * - `E_API_UNREACHABLE` when nothing answers (e.g. xmrig still starting),
 * - `E_API_TIMEOUT` when the signal fired because of a timeout; any other abort rethrows the
 *   signal's reason.
 */
export class XmrigApiClient {
  readonly #host: string;
  readonly #port: number;
  readonly #token: string | undefined;
  readonly #maxBodyBytes: number;

  constructor(options: XmrigApiClientOptions) {
    this.#host = options.host ?? '127.0.0.1';
    this.#port = options.port;
    this.#token = options.token === '' ? undefined : options.token;
    this.#maxBodyBytes = options.maxBodyBytes ?? MAX_API_BODY_BYTES;
  }

  /** `GET /2/summary`: hashrate, shares, pool, uptime. */
  summary(signal: AbortSignal): Promise<unknown> {
    return this.getJson('/2/summary', signal);
  }

  /** `GET /2/backends`: per-backend and per-thread hashrates. */
  backends(signal: AbortSignal): Promise<unknown> {
    return this.getJson('/2/backends', signal);
  }

  /** `GET <path>` and parse the JSON answer. */
  async getJson(path: string, signal: AbortSignal): Promise<unknown> {
    const what = `xmrig API ${path}`;
    const headers: Record<string, string> = {
      accept: 'application/json',
      // A probe every few seconds gains nothing from keep-alive, and an idle pooled socket
      // would outlive the run.
      connection: 'close',
    };
    if (this.#token !== undefined) headers.authorization = `Bearer ${this.#token}`;
    try {
      const max = this.#maxBodyBytes;
      const { status, text } = await httpGet({
        host: this.#host,
        port: this.#port,
        path,
        headers,
        signal,
        maxBodyBytes: max,
        tooLarge: (status) =>
          new RigkitError('E_API_RESPONSE', `${what}: the answer is larger than ${max} bytes`, {
            details: { status, path, maxBytes: max },
          }),
      });
      if (status === 401 || status === 403) {
        throw new RigkitError(
          'E_API_AUTH',
          `${what}: API rejected the access token (HTTP ${status})`,
          { details: { status, path } },
        );
      }
      // Any other status, redirects included: the token never travels anywhere else.
      if (status < 200 || status > 299) {
        throw new RigkitError('E_API_RESPONSE', `${what} answered HTTP ${status}`, {
          details: { status, path },
        });
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        // No cause: JSON.parse quotes the body, and a body is not ours to put in logs.
        throw new RigkitError('E_API_RESPONSE', `${what} answered something that is not JSON`, {
          details: { status, path, bytes: Buffer.byteLength(text) },
        });
      }
    } catch (error) {
      if (signal.aborted) throw abortError(signal, what);
      if (isRigkitError(error)) throw error;
      const errno = errnoOf(error);
      throw new RigkitError(
        'E_API_UNREACHABLE',
        `${what}: no answer${errno === undefined ? '' : ` (${errno})`}`,
        { cause: error, details: { path, errno } },
      );
    }
  }
}

/** What to throw for an aborted request: a timeout becomes `E_API_TIMEOUT`, else the reason. */
function abortError(signal: AbortSignal, what: string): unknown {
  const reason: unknown = signal.reason;
  if (isRigkitError(reason) && reason.code === 'E_API_TIMEOUT') return reason;
  if (reason instanceof DOMException && reason.name === 'TimeoutError') {
    return new RigkitError('E_API_TIMEOUT', `${what} did not answer in time`, { cause: reason });
  }
  return reason;
}

function errnoOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
