import { type Kysely, SqliteAdapter } from 'kysely';

/**
 * True when `db` talks to SQLite. The few SQLite-only statements (pragmas, `WITHOUT ROWID`)
 * hide behind this check so the rest of the SQL stays portable to PostgreSQL.
 */
export function isSqlite(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}
