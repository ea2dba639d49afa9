import { RigkitError, type RigkitErrorOptions } from '@rigkit/core';

/** The codes of {@link StratumClientError}. */
export type StratumClientErrorCode =
  /** The connection could not be made (refused, DNS, TLS, or `connectTimeoutMs` passed). */
  | 'E_STRATUM_CLIENT_CONNECT'
  /** The connection closed (or `close()` was called) while a request waited for its reply. */
  | 'E_STRATUM_CLIENT_CLOSED'
  /** No reply within the request's `timeoutMs`. */
  | 'E_STRATUM_CLIENT_TIMEOUT'
  /** `maxPending` requests already wait for replies. */
  | 'E_STRATUM_CLIENT_PENDING_LIMIT'
  /** The peer does not read: more than `maxWriteBufferBytes` are waiting to be sent. */
  | 'E_STRATUM_CLIENT_BACKPRESSURE'
  /** A reply whose `result` does not have the dialect's shape (a login without a miner id…). */
  | 'E_STRATUM_CLIENT_BAD_REPLY'
  /** `onNotification` already has its maximum number of listeners. */
  | 'E_LISTENER_LIMIT';

/** Why the reference stratum client could not complete a request. */
export class StratumClientError extends RigkitError {
  declare readonly code: StratumClientErrorCode;

  constructor(code: StratumClientErrorCode, message: string, options?: RigkitErrorOptions) {
    super(code, message, options);
  }
}

/**
 * The pool answered with an error (a refused login, a rejected share). `poolError` is the
 * reply's `error` as sent: `{ code, message }` in the CryptoNote dialect, `[code, message, data]`
 * in Stratum V1.
 */
export class StratumReplyError extends RigkitError {
  readonly poolError: unknown;

  constructor(method: string, poolError: unknown) {
    super('E_STRATUM_REPLY_ERROR', `${method}: ${poolErrorMessage(poolError)}`, {
      details: { method },
    });
    this.poolError = poolError;
  }

  /** The pool's own message, e.g. `Invalid payment address provided`. */
  get poolMessage(): string {
    return poolErrorMessage(this.poolError);
  }
}

/** The human message inside either dialect's `error`. */
export function poolErrorMessage(error: unknown): string {
  if (Array.isArray(error) && typeof error[1] === 'string') return error[1];
  if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    if (typeof message === 'string') return message;
  }
  return typeof error === 'string' ? error : JSON.stringify(error);
}
