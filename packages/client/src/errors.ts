/**
 * The brand `@rigkit/core` uses for its errors (`Symbol.for`, so it is shared across copies).
 * Setting it makes `isRigkitError()` from core accept a {@link RigkitClientError} too, without
 * the client importing core at run time.
 */
const RIGKIT_ERROR = Symbol.for('rigkit.error');
const CLIENT_ERROR = Symbol.for('rigkit.client-error');

/**
 * Codes the client raises itself. Every other code comes from the server's error envelope
 * (`E_MINER_NOT_FOUND`, `E_VALIDATION`, `E_UNAUTHORIZED`, …) and is passed through unchanged.
 */
export type ClientOwnErrorCode =
  /** The server answered something the route's schema does not accept (or no JSON at all). */
  | 'E_CLIENT_RESPONSE'
  /** No connection: refused, reset, DNS failure, TLS failure. */
  | 'E_SERVER_UNREACHABLE'
  /** No complete answer within `timeoutMs`. */
  | 'E_API_TIMEOUT'
  /** The caller's `AbortSignal` fired. */
  | 'E_ABORTED'
  /** The event stream saw no message and no ping for `heartbeatTimeoutMs`. */
  | 'E_HEARTBEAT_TIMEOUT';

/** A server code or one of {@link ClientOwnErrorCode}. */
export type ClientErrorCode = ClientOwnErrorCode | (string & {});

/** Options of {@link RigkitClientError}. */
export interface RigkitClientErrorOptions {
  /** HTTP status of the answer, when there was one. */
  status?: number | undefined;
  /** The `details` of the server's error envelope, or facts the client adds (never secrets). */
  details?: Readonly<Record<string, unknown>> | undefined;
  cause?: unknown;
}

/**
 * The one error type every client call rejects with. `code` is stable and machine-readable:
 * the server's code for error envelopes (`E_MINER_NOT_FOUND` …), or a client code
 * ({@link ClientOwnErrorCode}) for network failures, timeouts and unexpected answers.
 */
export class RigkitClientError extends Error {
  readonly code: ClientErrorCode;
  /** HTTP status, `undefined` when no answer arrived. */
  readonly status: number | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ClientErrorCode, message: string, options: RigkitClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RigkitClientError';
    this.code = code;
    this.status = options.status;
    this.details = options.details;
    Object.defineProperty(this, RIGKIT_ERROR, { value: true });
    Object.defineProperty(this, CLIENT_ERROR, { value: true });
  }

  /** A plain object for logs and `--json` output: no stack, no cause. */
  toJSON(): {
    code: string;
    message: string;
    status?: number;
    details?: Readonly<Record<string, unknown>>;
  } {
    return {
      code: this.code,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** True for a {@link RigkitClientError}, also one from another copy of this package. */
export function isRigkitClientError(value: unknown): value is RigkitClientError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[CLIENT_ERROR] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
