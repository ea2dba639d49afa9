import { type Kysely, sql } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import { SCHEMA_VERSION } from '../migrations/migrations.js';
import { RIGKIT_APPLICATION_ID } from './rigkit-application-id.js';

/** Options of {@link checkSqliteDatabase}. */
export interface CheckSqliteDatabaseOptions {
  /** Run `PRAGMA quick_check` (reads every page: O(file size)). */
  quickCheck: boolean;
}

/**
 * Decides whether an SQLite database is ours before any migration writes to it:
 * - another `application_id`, or tables without ours → `E_STORAGE_FOREIGN`;
 * - ours with a `user_version` above {@link SCHEMA_VERSION} → `E_STORAGE_SCHEMA_TOO_NEW`;
 * - `quick_check` not ok, or SQLite cannot read it → `E_STORAGE_CORRUPT`;
 * - empty → stamped with our application id, so a crash during the first migration still
 *   leaves a file we recognise.
 */
export async function checkSqliteDatabase(
  db: Kysely<unknown>,
  file: string,
  options: CheckSqliteDatabaseOptions,
): Promise<void> {
  try {
    const applicationId = await pragmaNumber(db, 'application_id');
    const userVersion = await pragmaNumber(db, 'user_version');
    const tables = await sql<{ name: string }>`
      select name from sqlite_master where type = 'table' and name not like 'sqlite_%'
    `.execute(db);

    if (applicationId === RIGKIT_APPLICATION_ID) {
      if (userVersion > SCHEMA_VERSION) {
        throw new StorageError(
          'E_STORAGE_SCHEMA_TOO_NEW',
          `schema version ${userVersion} is newer than this @rigkit/storage knows ` +
            `(${SCHEMA_VERSION}); upgrade @rigkit/storage`,
          { file, details: { schemaVersion: userVersion, knownVersion: SCHEMA_VERSION } },
        );
      }
    } else if (applicationId !== 0 || tables.rows.length > 0) {
      throw new StorageError(
        'E_STORAGE_FOREIGN',
        'is an SQLite database made by another program; refusing to use it',
        { file, details: { applicationId, tables: tables.rows.length } },
      );
    }

    if (options.quickCheck) {
      const result = await sql<{ quick_check: string }>`pragma quick_check(1)`.execute(db);
      const verdict = result.rows[0]?.quick_check;
      if (verdict !== 'ok') {
        throw new StorageError('E_STORAGE_CORRUPT', `is damaged (quick_check: ${verdict})`, {
          file,
        });
      }
    }

    if (applicationId === 0) {
      await sql`pragma application_id = ${sql.raw(String(RIGKIT_APPLICATION_ID))}`.execute(db);
    }
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_OPEN', file);
  }
}

async function pragmaNumber(db: Kysely<unknown>, name: string): Promise<number> {
  const result = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(db);
  const value = result.rows[0]?.[name];
  return typeof value === 'number' ? value : 0;
}
