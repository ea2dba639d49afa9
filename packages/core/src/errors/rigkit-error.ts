const RIGKIT_ERROR = Symbol.for('rigkit.error');

/**
 * Every error code Rigkit throws. Codes are stable: the server maps them to HTTP statuses
 * and the CLI to exit codes, so a code is never renamed, only added.
 */
export type RigkitErrorCode =
  | 'E_CONFIG_INVALID'
  | 'E_ADAPTER_INCOMPATIBLE'
  | 'E_ADAPTER_INVALID'
  | 'E_ADAPTER_NOT_FOUND'
  | 'E_MINER_NOT_FOUND'
  | 'E_MINER_EXISTS'
  | 'E_MINER_BUSY'
  | 'E_INVALID_TRANSITION'
  | 'E_MANAGER_CLOSED'
  | 'E_PROCESS_SPAWN'
  | 'E_PROCESS_EXIT'
  | 'E_PROCESS_NOT_RUNNING'
  | 'E_API_TIMEOUT'
  | 'E_API_RESPONSE'
  | 'E_ABORTED'
  | 'E_LISTENER_LIMIT'
  | 'E_SCOPE_DISPOSED'
  | (string & {});

/** Options accepted by every {@link RigkitError}. */
export interface RigkitErrorOptions {
  /** The underlying error, kept for logs; never shown to API clients. */
  cause?: unknown;
  /** Machine-readable facts about the failure (field paths, limits). Must not hold secrets. */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * The one base class of every error Rigkit throws.
 *
 * `code` is stable and machine-readable; `message` is for humans. Use {@link isRigkitError}
 * rather than `instanceof` when the error may come from another copy of this package.
 */
export class RigkitError extends Error {
  /** Stable, machine-readable code, e.g. `E_MINER_NOT_FOUND`. */
  readonly code: RigkitErrorCode;
  /** Structured facts about the failure, safe to show to clients. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: RigkitErrorCode, message: string, options: RigkitErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
    Object.defineProperty(this, RIGKIT_ERROR, { value: true });
  }

  /** A plain object safe to serialise to clients: no stack, no cause. */
  toJSON(): { code: string; message: string; details?: Readonly<Record<string, unknown>> } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/**
 * True for any Rigkit error, including ones created by a different copy of `@rigkit/core`
 * (two versions in one `node_modules` tree make `instanceof` unreliable).
 */
export function isRigkitError(value: unknown): value is RigkitError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[RIGKIT_ERROR] === true &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
