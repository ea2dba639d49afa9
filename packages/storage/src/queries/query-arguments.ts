import { StorageError, type StorageErrorCode } from '../errors/storage-error.js';

/** The stable miner id format of `@rigkit/core`. */
export const MINER_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Hard upper bounds of every read: no query returns an unbounded number of rows. */
export const QUERY_LIMITS = Object.freeze({
  /** `history()` points. */
  maxPoints: 10_000,
  /** Rows per page of `sessions()`, `events()` and `listMiners()`. */
  pageSize: 1000,
});

/** True for a stable miner id. */
export function isMinerId(value: unknown): value is string {
  return typeof value === 'string' && MINER_ID_PATTERN.test(value);
}

/** Throws `code` unless `value` is a stable miner id (the value itself is never echoed). */
export function assertMinerId(
  value: unknown,
  file: string | undefined,
  code: StorageErrorCode = 'E_STORAGE_INVALID_QUERY',
): asserts value is string {
  if (!isMinerId(value)) {
    throw new StorageError(code, 'miner id must match [A-Za-z0-9_-]{1,64}', { file });
  }
}

/** Throws unless `from < to`, both finite. */
export function assertRange(from: unknown, to: unknown, file: string | undefined): void {
  if (
    typeof from !== 'number' ||
    typeof to !== 'number' ||
    !Number.isFinite(from) ||
    !Number.isFinite(to)
  ) {
    throw new StorageError('E_STORAGE_INVALID_QUERY', 'from and to must be finite numbers (ms)', {
      file,
    });
  }
  if (from >= to) {
    throw new StorageError('E_STORAGE_INVALID_QUERY', 'from must be before to', {
      file,
      details: { from, to },
    });
  }
}

/** `value` (default `fallback`) as an integer in [1, max], or throws. */
export function limitArgument(
  name: string,
  value: unknown,
  fallback: number,
  max: number,
  file: string | undefined,
): number {
  const limit = value === undefined ? fallback : value;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new StorageError(
      'E_STORAGE_INVALID_QUERY',
      `${name} must be an integer from 1 to ${max}`,
      {
        file,
        details: { [name]: typeof limit === 'number' ? limit : String(typeof limit), max },
      },
    );
  }
  return limit;
}

/** `value` as a finite number or undefined, or throws. */
export function optionalTime(
  name: string,
  value: unknown,
  file: string | undefined,
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StorageError('E_STORAGE_INVALID_QUERY', `${name} must be a finite number (ms)`, {
      file,
    });
  }
  return value;
}
