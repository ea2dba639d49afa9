import type { Dialect } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../retention/retention-policy.js';
import { type BatchWriterOptions, DEFAULT_WRITER_OPTIONS } from '../writer/batch-writer.js';

/** When to run `PRAGMA quick_check` on open. */
export type IntegrityCheckPolicy = 'auto' | 'always' | 'never';

/** The background jobs: roll-up, retention and incremental vacuum. */
export interface MaintenanceOptions {
  /** Run the jobs on timers. Turn off to drive them by hand (`runMaintenance()`). Default true. */
  enabled: boolean;
  /** Roll-up interval, ms. Default 60 000. */
  rollupIntervalMs: number;
  /** Retention (and incremental vacuum) interval, ms. Default 600 000. */
  retentionIntervalMs: number;
  /** A bucket is rolled up once it ended this long ago, ms. Default 5000. */
  rollupDelayMs: number;
  /** Rows per retention DELETE. Default 5000. */
  deleteBatchRows: number;
  /** Pages released per incremental-vacuum step. Default 2048 (8 MiB at 4 KiB pages). */
  vacuumPagesPerStep: number;
}

/** Default {@link MaintenanceOptions}. */
export const DEFAULT_MAINTENANCE: Readonly<MaintenanceOptions> = Object.freeze({
  enabled: true,
  rollupIntervalMs: 60_000,
  retentionIntervalMs: 600_000,
  rollupDelayMs: 5000,
  deleteBatchRows: 5000,
  vacuumPagesPerStep: 2048,
});

/** Settings shared by both ways to open a storage. */
export interface StorageSettings {
  /** The clock, ms since the epoch. Default `Date.now`. Jobs read time only through it. */
  now?: () => number;
  /** Retention per table, ms; unset fields keep their defaults. */
  retention?: Partial<RetentionPolicy>;
  /** Batched-writer tuning. */
  writer?: Partial<BatchWriterOptions>;
  /** Background jobs. */
  maintenance?: Partial<MaintenanceOptions>;
  /** The nominal sampling interval (the width of a raw point), ms. Default 10 000. */
  sampleIntervalMs?: number;
  /** SQLite busy timeout, ms (with `file`). Default 5000. */
  busyTimeoutMs?: number;
  /** SQLite page cache, KiB (with `file`). Default 16 384. */
  cacheSizeKiB?: number;
  /**
   * `PRAGMA quick_check` on open (SQLite). It reads the whole file (4–7 ms/MB measured), so
   * `auto` checks files up to 64 MiB, and bigger ones only when their header disagrees with the
   * file (odd page size, partial page, truncated); otherwise SQLite's own checks still fail any
   * damaged read with `E_STORAGE_CORRUPT`. Default `auto`.
   */
  integrityCheck?: IntegrityCheckPolicy;
  /**
   * Called with every background failure (a flush or a job). Never throws into the caller;
   * errors carry a code and the file, never stored values.
   */
  onError?: (error: StorageError) => void;
}

/** Options of `createStorage`: an SQLite `file` (or `:memory:`) or any kysely `dialect`. */
export type StorageOptions = StorageSettings &
  (
    | { /** SQLite file path, or `:memory:`. */ file: string; dialect?: undefined }
    | {
        /** A kysely dialect you configured (e.g. a `SqliteDialect`, later PostgreSQL). */
        dialect: Dialect;
        file?: undefined;
      }
  );

/** {@link StorageOptions} with every default filled in. */
export interface ResolvedStorageOptions {
  file: string | undefined;
  dialect: Dialect | undefined;
  now: () => number;
  retention: RetentionPolicy;
  writer: BatchWriterOptions;
  maintenance: MaintenanceOptions;
  sampleIntervalMs: number;
  busyTimeoutMs: number;
  cacheSizeKiB: number;
  integrityCheck: IntegrityCheckPolicy;
  onError: (error: StorageError) => void;
}

/** Validates `options` and fills in defaults; throws `E_STORAGE_INVALID_OPTIONS`. */
export function resolveStorageOptions(options: StorageOptions): ResolvedStorageOptions {
  const invalid = (what: string) =>
    new StorageError('E_STORAGE_INVALID_OPTIONS', `invalid storage options: ${what}`);
  if (typeof options !== 'object' || options === null) throw invalid('expected an object');
  const hasFile = options.file !== undefined;
  const hasDialect = options.dialect !== undefined;
  if (hasFile === hasDialect) throw invalid('give exactly one of `file` and `dialect`');
  if (hasFile && (typeof options.file !== 'string' || options.file.length === 0)) {
    throw invalid('`file` must be a non-empty path or ":memory:"');
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw invalid('`now` must be a function');
  }
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const writer = { ...DEFAULT_WRITER_OPTIONS, ...options.writer };
  const maintenance = { ...DEFAULT_MAINTENANCE, ...options.maintenance };
  for (const [group, values] of [
    ['retention', retention],
    ['writer', writer],
    ['maintenance', maintenance],
  ] as const) {
    for (const [name, value] of Object.entries(values)) {
      if (name === 'enabled') continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        throw invalid(`${group}.${name} must be a positive integer`);
      }
    }
  }
  if (typeof maintenance.enabled !== 'boolean')
    throw invalid('maintenance.enabled must be a boolean');
  if (retention.raw > retention.minute || retention.minute > retention.hour) {
    throw invalid('retention must grow with the tier: raw <= minute <= hour');
  }
  const sampleIntervalMs = positive(options.sampleIntervalMs, 10_000, 'sampleIntervalMs', invalid);
  const integrityCheck = options.integrityCheck ?? 'auto';
  if (!['auto', 'always', 'never'].includes(integrityCheck)) {
    throw invalid('integrityCheck must be auto, always or never');
  }
  return {
    file: options.file,
    dialect: options.dialect,
    now: options.now ?? Date.now,
    retention,
    writer,
    maintenance,
    sampleIntervalMs,
    busyTimeoutMs: positive(options.busyTimeoutMs, 5000, 'busyTimeoutMs', invalid),
    cacheSizeKiB: positive(options.cacheSizeKiB, 16_384, 'cacheSizeKiB', invalid),
    integrityCheck,
    onError: options.onError ?? (() => {}),
  };
}

function positive(
  value: number | undefined,
  fallback: number,
  name: string,
  invalid: (what: string) => StorageError,
): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw invalid(`${name} must be a positive integer`);
  return value;
}
