import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

/** Options for {@link openSqlite}. */
export interface OpenSqliteOptions {
  /** How long a writer waits for a lock before SQLite gives up, in milliseconds. */
  busyTimeoutMs?: number;
}

/**
 * Opens a SQLite file (or `:memory:`) with the pragmas Rigkit relies on:
 * WAL so readers never block the writer, NORMAL sync (durable at checkpoints, safe with WAL),
 * a busy timeout instead of immediate SQLITE_BUSY, and enforced foreign keys.
 */
export function openSqlite<DB>(file: string, options: OpenSqliteOptions = {}): Kysely<DB> {
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  database.pragma('foreign_keys = ON');
  return new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
}
