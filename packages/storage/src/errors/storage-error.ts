import { RigkitError, type RigkitErrorOptions } from '@rigkit/core';

/** Every code a {@link StorageError} carries. Stable: codes are added, never renamed. */
export type StorageErrorCode =
  /** The file is not an SQLite database, or SQLite found it damaged. */
  | 'E_STORAGE_CORRUPT'
  /** An SQLite database made by another program (other application id or other tables). */
  | 'E_STORAGE_FOREIGN'
  /** The database was migrated by a newer `@rigkit/storage`; this one refuses to open it. */
  | 'E_STORAGE_SCHEMA_TOO_NEW'
  /** The database could not be opened or migrated (missing directory, permissions). */
  | 'E_STORAGE_OPEN'
  /** A write failed (disk full, read-only file, I/O error, lock timeout). */
  | 'E_STORAGE_WRITE'
  /** A read failed. */
  | 'E_STORAGE_READ'
  /** The storage is closed (or was never opened). */
  | 'E_STORAGE_CLOSED'
  /** A query argument is out of range (bad id, reversed range, limit too large). */
  | 'E_STORAGE_INVALID_QUERY'
  /** A value to store is invalid (bad miner id, options that are not JSON). */
  | 'E_STORAGE_INVALID_INPUT'
  /** `createStorage` options are invalid. */
  | 'E_STORAGE_INVALID_OPTIONS';

/** Options of a {@link StorageError}. */
export interface StorageErrorOptions extends RigkitErrorOptions {
  /** The database file (or `:memory:`), when known. Named in the message too. */
  file?: string | undefined;
}

/**
 * The one error class `@rigkit/storage` throws: a {@link RigkitError} with an `E_STORAGE_*`
 * code. Messages name the file and never contain stored values (miner options hold secrets).
 */
export class StorageError extends RigkitError {
  /** The database file the error is about, when known. */
  readonly file: string | undefined;
  declare readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options: StorageErrorOptions = {}) {
    const { file, ...rest } = options;
    super(code, file === undefined ? message : `${file}: ${message}`, {
      ...rest,
      details: file === undefined ? rest.details : { file, ...rest.details },
    });
    this.file = file;
  }

  /**
   * Wraps whatever a driver threw. SQLite's own result codes win over `fallback` where they
   * say more (a damaged file is corrupt whatever we were doing); the driver's message is kept
   * because SQLite messages never echo bound values.
   */
  static from(cause: unknown, fallback: StorageErrorCode, file: string | undefined): StorageError {
    if (cause instanceof StorageError) return cause;
    const sqliteCode = sqliteCodeOf(cause);
    const code: StorageErrorCode =
      sqliteCode === 'SQLITE_NOTADB' || sqliteCode?.startsWith('SQLITE_CORRUPT')
        ? 'E_STORAGE_CORRUPT'
        : fallback;
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new StorageError(code, `${describe(code)}: ${reason}`, {
      cause,
      file,
      details: sqliteCode === undefined ? undefined : { sqliteCode },
    });
  }
}

function sqliteCodeOf(cause: unknown): string | undefined {
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

function describe(code: StorageErrorCode): string {
  switch (code) {
    case 'E_STORAGE_CORRUPT':
      return 'not a Rigkit database or damaged';
    case 'E_STORAGE_WRITE':
      return 'write failed';
    case 'E_STORAGE_READ':
      return 'read failed';
    case 'E_STORAGE_OPEN':
      return 'cannot open database';
    default:
      return 'storage error';
  }
}
