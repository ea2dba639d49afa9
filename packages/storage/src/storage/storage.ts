import { randomUUID } from 'node:crypto';
import type { HistorySink, RecordedEvent, Sample, SessionRecord } from '@rigkit/core';
import { Kysely, sql } from 'kysely';
import { StorageError, type StorageErrorCode } from '../errors/storage-error.js';
import { migrateToLatest } from '../migrations/migrate-to-latest.js';
import {
  getMiner,
  listMiners,
  type MinerDefinition,
  removeMiner,
  type StoredMiner,
  upsertMiner,
} from '../miners/miner-definitions.js';
import { type HistoryTier, historyTiers } from '../queries/history-source.js';
import {
  assertMinerId,
  assertRange,
  isMinerId,
  limitArgument,
  optionalTime,
  QUERY_LIMITS,
} from '../queries/query-arguments.js';
import { type EventCursor, queryEvents, type StoredEvent } from '../queries/query-events.js';
import { type HistoryContext, type HistoryResult, queryHistory } from '../queries/query-history.js';
import { querySessions } from '../queries/query-sessions.js';
import { type MinerSummary, querySummary } from '../queries/query-summary.js';
import { enforceRetention, type RetentionReport } from '../retention/enforce-retention.js';
import { incrementalVacuum } from '../retention/incremental-vacuum.js';
import { RollupJob, type RollupReport } from '../rollup/rollup-job.js';
import type { RigkitDatabase } from '../schema/rigkit-database.js';
import { repairOpenSessions } from '../sessions/repair-open-sessions.js';
import { checkSqliteDatabase } from '../sqlite/check-sqlite-database.js';
import { checkSqliteHeader } from '../sqlite/check-sqlite-header.js';
import { isSqlite } from '../sqlite/is-sqlite.js';
import { configureSqlite, kyselyOver, openSqliteHandle } from '../sqlite/open-sqlite.js';
import { BatchWriter, type WriterStats } from '../writer/batch-writer.js';
import { DatabaseBatchSink } from '../writer/database-batch-sink.js';
import { MinerKeyCache } from '../writer/miner-key-cache.js';
import { ShareBaselines } from '../writer/share-baselines.js';
import {
  type ResolvedStorageOptions,
  resolveStorageOptions,
  type StorageOptions,
} from './storage-options.js';

/**
 * `quick_check` reads every page: 4–7 ms/MB here (1.2–2.2 s for the 300 MB a year of 100
 * miners takes). `auto` runs it up to this size, and above it only when the header looks wrong.
 */
const QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024;
/** Largest serialised event `data`; bigger payloads are replaced by a marker. */
const MAX_EVENT_DATA = 4096;
const MAX_EVENT_TYPE = 64;
const MAX_SESSION_ID = 128;
/** Miners whose share counters the writer tracks at once. */
const MAX_TRACKED_MINERS = 10_000;

/** Options of `history()`. */
export interface HistoryOptions {
  /** Most points to return, 1–10 000. Default 1000. */
  maxPoints?: number;
}

/** Options of `sessions()`. */
export interface SessionsOptions {
  /** Page size, 1–1000. Default 100. */
  limit?: number;
  /** Only sessions that started before this time (the previous page's last `startedAt`). */
  before?: number;
}

/** Options of `events()`. */
export interface EventsOptions {
  /** Page size, 1–1000. Default 100. */
  limit?: number;
  /** Only events after this cursor in newest-first order (the previous page's last event). */
  before?: EventCursor;
  /** Only events of this type, e.g. `miner.state`. */
  type?: string;
}

/** Options of `listMiners()`. */
export interface ListMinersOptions {
  /** Page size, 1–1000. Default 100. */
  limit?: number;
  /** Only ids after this one (the previous page's last id). */
  after?: string;
}

/** What one maintenance run did. */
export interface MaintenanceReport {
  rollup: RollupReport;
  /** Present when retention was due (or forced). */
  retention?: RetentionReport;
  /** Pages returned to the file system by incremental vacuum. */
  vacuumedPages: number;
}

/** Counters of the storage: the writer's plus the background jobs'. */
export interface StorageStats extends WriterStats {
  maintenance: {
    runs: number;
    errors: number;
    lastError: StorageErrorCode | undefined;
    /** Roll-up watermarks: buckets before them are final. */
    watermarks: { minute: number | undefined; hour: number | undefined };
  };
  /** Sessions closed as `unclean-shutdown` when the storage opened. */
  repairedSessions: number;
}

type State = 'new' | 'opening' | 'open' | 'closing' | 'closed';

/**
 * Rigkit's long-term storage: a `HistorySink` for the manager plus bounded queries for the
 * server. Construction does no I/O; {@link Storage.open} opens (and checks, and migrates) the
 * database, repairs sessions an unclean shutdown left open and starts the writer and the jobs.
 * {@link Storage.close} (or `await using`) flushes and releases every timer and handle.
 *
 * The sink methods never throw and never block: they validate, queue and return. Invalid
 * input and calls after close are counted in `stats().rejected`.
 */
export class Storage implements HistorySink, AsyncDisposable {
  readonly #options: ResolvedStorageOptions;
  readonly #writer: BatchWriter;
  readonly #baselines = new ShareBaselines(MAX_TRACKED_MINERS);
  readonly #keys = new MinerKeyCache();
  readonly #tiers: readonly HistoryTier[];
  #state: State = 'new';
  #opening: Promise<this> | undefined;
  #closing: Promise<void> | undefined;
  #db: Kysely<RigkitDatabase> | undefined;
  #file: string | undefined;
  #sink: DatabaseBatchSink | undefined;
  #rollup: RollupJob | undefined;
  #jobs: Promise<unknown> = Promise.resolve();
  #maintenanceTimer: NodeJS.Timeout | undefined;
  #lastRetentionAt = Number.NEGATIVE_INFINITY;
  #maintenanceRuns = 0;
  #maintenanceErrors = 0;
  #maintenanceLastError: StorageErrorCode | undefined;
  #repairedSessions = 0;

  constructor(options: StorageOptions) {
    this.#options = resolveStorageOptions(options);
    this.#file = this.#options.file;
    this.#tiers = historyTiers(this.#options.sampleIntervalMs, this.#options.retention);
    this.#writer = new BatchWriter(
      (batch) => {
        if (this.#sink === undefined) return Promise.reject(this.#closedError());
        return this.#sink.write(batch).catch((error: unknown) => {
          throw StorageError.from(error, 'E_STORAGE_WRITE', this.#file);
        });
      },
      this.#options.writer,
      (error) => this.#report(error),
    );
  }

  /** The database file (`:memory:` for an in-memory one), when known. */
  get file(): string | undefined {
    return this.#file;
  }

  /**
   * Opens the database: checks it is ours (`E_STORAGE_CORRUPT`, `E_STORAGE_FOREIGN`,
   * `E_STORAGE_SCHEMA_TOO_NEW` otherwise — a file is never reset), migrates, repairs open
   * sessions and starts the writer and the jobs. Calling it again returns the same promise.
   */
  open(): Promise<this> {
    if (this.#state === 'closing' || this.#state === 'closed') {
      return Promise.reject(this.#closedError());
    }
    if (this.#opening !== undefined) return this.#opening;
    this.#state = 'opening';
    this.#opening = this.#open().catch(async (error: unknown) => {
      await this.#db?.destroy().catch(() => {});
      this.#db = undefined;
      this.#state = 'closed';
      throw error;
    });
    return this.#opening;
  }

  async #open(): Promise<this> {
    const options = this.#options;
    const db = await this.#connect();
    this.#db = db;
    await migrateToLatest(db as Kysely<unknown>, this.#file);
    this.#repairedSessions = await repairOpenSessions(db, this.#file);
    const rollup = new RollupJob(db, {
      now: options.now,
      delayMs: options.maintenance.rollupDelayMs,
      rawHorizon: () => options.now() - options.retention.raw,
      file: this.#file,
    });
    await rollup.load().catch((error: unknown) => {
      throw StorageError.from(error, 'E_STORAGE_OPEN', this.#file);
    });
    this.#rollup = rollup;
    this.#sink = new DatabaseBatchSink(db, this.#keys, options.now, (oldest) =>
      rollup.noteWritten(oldest),
    );
    if (this.#state !== 'opening') throw this.#closedError();
    this.#state = 'open';
    this.#writer.start();
    this.#scheduleMaintenance();
    return this;
  }

  async #connect(): Promise<Kysely<RigkitDatabase>> {
    const options = this.#options;
    if (options.file !== undefined) {
      const file = options.file;
      const header =
        file === ':memory:' ? { size: 0, suspicious: false } : await checkSqliteHeader(file);
      let db: Kysely<RigkitDatabase>;
      try {
        db = kyselyOver<RigkitDatabase>(
          openSqliteHandle(file, {
            busyTimeoutMs: options.busyTimeoutMs,
            cacheSizeKiB: options.cacheSizeKiB,
          }),
        );
      } catch (error) {
        throw StorageError.from(error, 'E_STORAGE_OPEN', file);
      }
      this.#db = db;
      await checkSqliteDatabase(db as Kysely<unknown>, file, {
        quickCheck: this.#quickCheck(header.size, header.suspicious),
      });
      await configureSqlite(db as Kysely<unknown>).catch((error: unknown) => {
        throw StorageError.from(error, 'E_STORAGE_OPEN', file);
      });
      return db;
    }

    const db = new Kysely<RigkitDatabase>({
      dialect: options.dialect as NonNullable<typeof options.dialect>,
    });
    this.#db = db;
    if (isSqlite(db as Kysely<unknown>)) {
      const { file, size } = await describeSqlite(db).catch((error: unknown) => {
        throw StorageError.from(error, 'E_STORAGE_OPEN', undefined);
      });
      this.#file = file;
      await checkSqliteDatabase(db as Kysely<unknown>, file, {
        quickCheck: this.#quickCheck(size, false),
      });
    }
    return db;
  }

  #quickCheck(size: number, suspicious: boolean): boolean {
    const policy = this.#options.integrityCheck;
    if (policy !== 'auto') return policy === 'always';
    return size > 0 && (suspicious || size <= QUICK_CHECK_MAX_BYTES);
  }

  // --- HistorySink ------------------------------------------------------------------------

  /** Queues one sample of `minerId` (never throws). Samples older than raw retention are refused. */
  writeSample(minerId: string, sample: Sample): void {
    if (
      !this.#accepting() ||
      !isMinerId(minerId) ||
      typeof sample !== 'object' ||
      sample === null
    ) {
      this.#writer.reject();
      return;
    }
    const time = sample.time;
    if (
      typeof time !== 'number' ||
      !Number.isFinite(time) ||
      time < this.#options.now() - this.#options.retention.raw
    ) {
      this.#writer.reject();
      return;
    }
    const hashrate = nonNegative(sample.hashrate);
    let accepted = Number.NaN;
    let rejected = Number.NaN;
    const shares = sample.shares;
    if (shares !== undefined && shares !== null) {
      const a = nonNegative(shares.accepted);
      const r = nonNegative(shares.rejected);
      if (!Number.isNaN(a) && !Number.isNaN(r))
        [accepted, rejected] = this.#baselines.delta(minerId, a, r);
    }
    this.#writer.enqueueSample(minerId, Math.round(time), hashrate, accepted, rejected);
  }

  /** Queues a session start or end (same `id`: the row is updated). Never throws. */
  recordSession(session: SessionRecord): void {
    if (
      !this.#accepting() ||
      typeof session !== 'object' ||
      session === null ||
      typeof session.id !== 'string' ||
      session.id.length === 0 ||
      session.id.length > MAX_SESSION_ID ||
      !isMinerId(session.minerId) ||
      !Number.isFinite(session.startedAt) ||
      (session.endedAt !== undefined && !Number.isFinite(session.endedAt))
    ) {
      this.#writer.reject();
      return;
    }
    // A new run's process counts shares from zero again.
    if (session.endedAt === undefined) this.#baselines.reset(session.minerId);
    this.#writer.enqueueSession({
      ...session,
      generation: Number.isInteger(session.generation) ? session.generation : 0,
      restartAttempt: Number.isInteger(session.restartAttempt) ? session.restartAttempt : 0,
      samples: Number.isInteger(session.samples) ? session.samples : 0,
      shares: {
        accepted: finiteOr(session.shares?.accepted, 0),
        rejected: finiteOr(session.shares?.rejected, 0),
      },
    });
  }

  /** Queues an event (restart, state or health change). Never throws. */
  recordEvent(event: RecordedEvent): void {
    if (
      !this.#accepting() ||
      typeof event !== 'object' ||
      event === null ||
      !isMinerId(event.minerId) ||
      typeof event.type !== 'string' ||
      event.type.length === 0 ||
      event.type.length > MAX_EVENT_TYPE ||
      !Number.isFinite(event.time)
    ) {
      this.#writer.reject();
      return;
    }
    let data: string;
    try {
      data = JSON.stringify(event.data ?? {});
    } catch {
      data = '{"unserializable":true}';
    }
    if (data.length > MAX_EVENT_DATA) data = `{"truncated":true,"bytes":${data.length}}`;
    this.#writer.enqueueEvent({
      id: randomUUID(),
      minerId: event.minerId,
      type: event.type,
      time: Math.round(event.time),
      data,
    });
  }

  /**
   * Writes everything queued now. Rejects with `E_STORAGE_WRITE` when the database refuses
   * (the rows stay queued and are retried), `E_STORAGE_CLOSED` when not open.
   */
  async flush(): Promise<void> {
    this.#db_();
    await this.#writer.flush();
  }

  /** Writer and job counters (no I/O). */
  stats(): StorageStats {
    return {
      ...this.#writer.stats(),
      maintenance: {
        runs: this.#maintenanceRuns,
        errors: this.#maintenanceErrors,
        lastError: this.#maintenanceLastError,
        watermarks: {
          minute: this.#rollup?.watermark('1m'),
          hour: this.#rollup?.watermark('1h'),
        },
      },
      repairedSessions: this.#repairedSessions,
    };
  }

  // --- queries ----------------------------------------------------------------------------

  /**
   * One miner's hashrate over `[from, to)` in at most `maxPoints` points, read from the finest
   * tier (raw, 1 m, 1 h) that still covers `from` and fits — see `docs/storage.md`.
   */
  history(
    minerId: string,
    from: number,
    to: number,
    options: HistoryOptions = {},
  ): Promise<HistoryResult> {
    return this.#read(() => {
      assertMinerId(minerId, this.#file);
      assertRange(from, to, this.#file);
      const maxPoints = limitArgument(
        'maxPoints',
        options.maxPoints,
        1000,
        QUERY_LIMITS.maxPoints,
        this.#file,
      );
      return queryHistory(this.#db_(), this.#historyContext(), minerId, from, to, maxPoints);
    });
  }

  /** Uptime, hashrate and shares of one miner over `[range.from, range.to)`. */
  summary(minerId: string, range: { from: number; to: number }): Promise<MinerSummary> {
    return this.#read(() => {
      assertMinerId(minerId, this.#file);
      assertRange(range?.from, range?.to, this.#file);
      return querySummary(this.#db_(), this.#historyContext(), minerId, range.from, range.to);
    });
  }

  /** A page of one miner's sessions, newest first. */
  sessions(minerId: string, options: SessionsOptions = {}): Promise<SessionRecord[]> {
    return this.#read(() => {
      assertMinerId(minerId, this.#file);
      const limit = limitArgument('limit', options.limit, 100, QUERY_LIMITS.pageSize, this.#file);
      const before = optionalTime('before', options.before, this.#file);
      return querySessions(this.#db_(), minerId, limit, before, this.#file);
    });
  }

  /** A page of one miner's events, newest first. */
  events(minerId: string, options: EventsOptions = {}): Promise<StoredEvent[]> {
    return this.#read(() => {
      assertMinerId(minerId, this.#file);
      const limit = limitArgument('limit', options.limit, 100, QUERY_LIMITS.pageSize, this.#file);
      const before = options.before;
      if (
        before !== undefined &&
        (typeof before !== 'object' ||
          !Number.isFinite(before.time) ||
          typeof before.id !== 'string')
      ) {
        throw new StorageError(
          'E_STORAGE_INVALID_QUERY',
          'before must be { time, id } of an event',
          {
            file: this.#file,
          },
        );
      }
      if (options.type !== undefined && typeof options.type !== 'string') {
        throw new StorageError('E_STORAGE_INVALID_QUERY', 'type must be a string', {
          file: this.#file,
        });
      }
      return queryEvents(this.#db_(), minerId, { limit, before, type: options.type }, this.#file);
    });
  }

  // --- miner definitions ------------------------------------------------------------------

  /** Saves a miner definition (insert or replace; a removed miner comes back). */
  upsertMiner(definition: MinerDefinition): Promise<StoredMiner> {
    return this.#read(() => upsertMiner(this.#db_(), definition, this.#options.now(), this.#file));
  }

  /** The definition of `id`, or undefined. */
  getMiner(id: string): Promise<StoredMiner | undefined> {
    return this.#read(() => getMiner(this.#db_(), id, this.#file));
  }

  /** A page of definitions ordered by id. */
  listMiners(options: ListMinersOptions = {}): Promise<StoredMiner[]> {
    return this.#read(() => {
      const limit = limitArgument('limit', options.limit, 100, QUERY_LIMITS.pageSize, this.#file);
      if (options.after !== undefined && typeof options.after !== 'string') {
        throw new StorageError('E_STORAGE_INVALID_QUERY', 'after must be a miner id', {
          file: this.#file,
        });
      }
      return listMiners(this.#db_(), limit, options.after, this.#file);
    });
  }

  /**
   * Marks a miner removed and wipes its options; its history stays until retention removes
   * it. Resolves to false when there was no such miner.
   */
  removeMiner(id: string): Promise<boolean> {
    return this.#read(() => removeMiner(this.#db_(), id, this.#options.now(), this.#file));
  }

  // --- maintenance ------------------------------------------------------------------------

  /** Rolls up every complete bucket now. */
  rollup(): Promise<RollupReport> {
    return this.#job(() => this.#rollup_().run(() => this.#stopping()));
  }

  /** Applies every retention rule now (in small batches). */
  enforceRetention(): Promise<RetentionReport> {
    return this.#job(() => this.#retention());
  }

  /**
   * Returns free pages to the file system: incrementally by default, or with a full `VACUUM`
   * (`{ full: true }`: rewrites the file, blocks writers while it runs; SQLite only). Resolves
   * to the pages released.
   */
  vacuum(options: { full?: boolean } = {}): Promise<number> {
    return this.#job(async () => {
      const db = this.#db_() as Kysely<unknown>;
      if (options.full !== true) {
        return incrementalVacuum(db, {
          pagesPerStep: this.#options.maintenance.vacuumPagesPerStep,
          shouldStop: () => this.#stopping(),
          file: this.#file,
        });
      }
      if (!isSqlite(db)) return 0;
      try {
        const pages = async () =>
          (await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]?.page_count ??
          0;
        const before = await pages();
        await sql`vacuum`.execute(db);
        return Math.max(0, before - (await pages()));
      } catch (error) {
        throw StorageError.from(error, 'E_STORAGE_WRITE', this.#file);
      }
    });
  }

  /**
   * Runs the jobs the timers run: roll-up, then (when due, or when `retention` is true)
   * retention and incremental vacuum.
   */
  runMaintenance(options: { retention?: boolean } = {}): Promise<MaintenanceReport> {
    return this.#job(async () => {
      try {
        const report: MaintenanceReport = {
          rollup: await this.#rollup_().run(() => this.#stopping()),
          vacuumedPages: 0,
        };
        const now = this.#options.now();
        if (
          options.retention === true ||
          now - this.#lastRetentionAt >= this.#options.maintenance.retentionIntervalMs
        ) {
          this.#lastRetentionAt = now;
          report.retention = await this.#retention();
          report.vacuumedPages = await incrementalVacuum(this.#db_() as Kysely<unknown>, {
            pagesPerStep: this.#options.maintenance.vacuumPagesPerStep,
            shouldStop: () => this.#stopping(),
            file: this.#file,
          });
        }
        this.#maintenanceRuns += 1;
        return report;
      } catch (error) {
        const wrapped = StorageError.from(error, 'E_STORAGE_WRITE', this.#file);
        this.#maintenanceErrors += 1;
        this.#maintenanceLastError = wrapped.code;
        throw wrapped;
      }
    });
  }

  #retention(): Promise<RetentionReport> {
    const rollup = this.#rollup_();
    return enforceRetention(this.#db_(), {
      policy: this.#options.retention,
      now: this.#options.now(),
      batchRows: this.#options.maintenance.deleteBatchRows,
      watermarks: { minute: rollup.watermark('1m'), hour: rollup.watermark('1h') },
      forgetKeys: (ids) => this.#keys.forget(ids),
      shouldStop: () => this.#stopping(),
      file: this.#file,
    });
  }

  #scheduleMaintenance(): void {
    if (!this.#options.maintenance.enabled || this.#state !== 'open') return;
    this.#maintenanceTimer = setTimeout(() => {
      this.#maintenanceTimer = undefined;
      this.runMaintenance()
        .catch((error: unknown) =>
          this.#report(StorageError.from(error, 'E_STORAGE_WRITE', this.#file)),
        )
        .finally(() => this.#scheduleMaintenance());
    }, this.#options.maintenance.rollupIntervalMs);
  }

  // --- lifecycle --------------------------------------------------------------------------

  /**
   * Stops the jobs, writes everything queued and closes the database. Idempotent; never
   * rejects because of a failed final write (those rows are counted as dropped and reported
   * through `onError`).
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#state === 'opening') await this.#opening?.catch(() => {});
    if (this.#maintenanceTimer !== undefined) clearTimeout(this.#maintenanceTimer);
    this.#maintenanceTimer = undefined;
    const wasOpen = this.#state === 'open';
    this.#state = 'closing';
    await this.#jobs.catch(() => {});
    // Rows queued before a failed (or no) open have nowhere to go: drop them, counted.
    await this.#writer.close({ write: wasOpen });
    await this.#db?.destroy().catch((error: unknown) => {
      this.#report(StorageError.from(error, 'E_STORAGE_WRITE', this.#file));
    });
    this.#db = undefined;
    this.#sink = undefined;
    this.#state = 'closed';
  }

  /** Same as {@link Storage.close}. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // --- helpers ----------------------------------------------------------------------------

  #accepting(): boolean {
    return this.#state === 'new' || this.#state === 'opening' || this.#state === 'open';
  }

  #stopping(): boolean {
    return this.#state !== 'open';
  }

  #db_(): Kysely<RigkitDatabase> {
    if (this.#state !== 'open' || this.#db === undefined) throw this.#closedError();
    return this.#db;
  }

  #rollup_(): RollupJob {
    this.#db_();
    return this.#rollup as RollupJob;
  }

  #closedError(): StorageError {
    const message =
      this.#state === 'new' || this.#state === 'opening'
        ? 'storage is not open'
        : 'storage is closed';
    return new StorageError('E_STORAGE_CLOSED', message, { file: this.#file });
  }

  #historyContext(): HistoryContext {
    const rollup = this.#rollup_();
    return {
      now: this.#options.now(),
      tiers: this.#tiers,
      watermarks: { minute: rollup.watermark('1m'), hour: rollup.watermark('1h') },
      cachedKey: (minerId) => this.#keys.get(minerId),
      file: this.#file,
    };
  }

  /** Runs a query, turning synchronous argument errors into rejections. */
  async #read<T>(query: () => Promise<T>): Promise<T> {
    return query();
  }

  /** Runs maintenance jobs one at a time (timer-driven and manual calls alike). */
  #job<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#jobs.then(() => {
      this.#db_();
      return task();
    });
    this.#jobs = run.catch(() => {});
    return run;
  }

  #report(error: StorageError): void {
    try {
      this.#options.onError(error);
    } catch {
      // A throwing error handler must not take the writer down with it.
    }
  }
}

async function describeSqlite(db: Kysely<RigkitDatabase>): Promise<{ file: string; size: number }> {
  const list = await sql<{
    file: string;
  }>`select file from pragma_database_list where name = 'main'`.execute(db);
  const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db);
  const pageSize = await sql<{ page_size: number }>`pragma page_size`.execute(db);
  const file = list.rows[0]?.file;
  return {
    file: file === undefined || file === '' ? ':memory:' : file,
    size: (pages.rows[0]?.page_count ?? 0) * (pageSize.rows[0]?.page_size ?? 0),
  };
}

function nonNegative(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : Number.NaN;
}

function finiteOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
