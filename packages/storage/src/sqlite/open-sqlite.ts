import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { cachingStatements } from './statement-cache.js';

/** Options for {@link openSqlite}. */
export interface OpenSqliteOptions {
  /** How long a writer waits for a lock before SQLite gives up, in milliseconds. Default 5000. */
  busyTimeoutMs?: number;
  /** SQLite page cache per connection, KiB. Default 16384 (16 MiB). */
  cacheSizeKiB?: number;
}

/**
 * Opens a SQLite file (or `:memory:`) with the pragmas Rigkit relies on:
 * WAL so readers never block the writer, NORMAL sync (durable at checkpoints, safe with WAL),
 * a busy timeout instead of immediate SQLITE_BUSY, and enforced foreign keys.
 */
export function openSqlite<DB>(file: string, options: OpenSqliteOptions = {}): Kysely<DB> {
  const database = openSqliteHandle(file, options);
  try {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
  } catch (error) {
    database.close();
    throw error;
  }
  return kyselyOver<DB>(database);
}

/**
 * Opens the handle with connection-only settings (nothing written to the file), so a caller
 * can inspect a database it may not own before changing anything persistent.
 */
export function openSqliteHandle(file: string, options: OpenSqliteOptions = {}): Database.Database {
  const database = new Database(file);
  try {
    database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
    database.pragma(`cache_size = ${-Math.trunc(options.cacheSizeKiB ?? 16_384)}`);
  } catch (error) {
    database.close();
    throw error;
  }
  return database;
}

/**
 * A kysely instance over an open better-sqlite3 handle, with prepared statements reused
 * (destroying it closes the handle).
 */
export function kyselyOver<DB>(database: Database.Database): Kysely<DB> {
  return new Kysely<DB>({ dialect: new SqliteDialect({ database: cachingStatements(database) }) });
}

/**
 * Applies Rigkit's persistent pragmas through kysely (WAL, NORMAL sync, foreign keys, a bounded
 * WAL). Separate from opening so it runs only after the file was recognised as ours.
 */
export async function configureSqlite(db: Kysely<unknown>): Promise<void> {
  await sql`pragma journal_mode = WAL`.execute(db);
  await sql`pragma synchronous = NORMAL`.execute(db);
  await sql`pragma foreign_keys = ON`.execute(db);
  // Checkpoint every 16 MiB of WAL instead of 4 MiB: each checkpoint fsyncs, and on slow disks
  // fsyncs dominate ingest. journal_size_limit truncates the WAL back after a checkpoint.
  await sql`pragma wal_autocheckpoint = 4096`.execute(db);
  await sql`pragma journal_size_limit = ${sql.raw(String(64 * 1024 * 1024))}`.execute(db);
}
