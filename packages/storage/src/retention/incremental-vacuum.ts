import { type Kysely, sql } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import { isSqlite } from '../sqlite/is-sqlite.js';

/**
 * Returns free pages to the file system in chunks of `pagesPerStep` (SQLite with
 * `auto_vacuum = INCREMENTAL`), so the file shrinks after retention without the long exclusive
 * lock of a full VACUUM. A no-op elsewhere. Resolves to the pages released.
 */
export async function incrementalVacuum(
  db: Kysely<unknown>,
  options: { pagesPerStep: number; shouldStop: () => boolean; file: string | undefined },
): Promise<number> {
  if (!isSqlite(db)) return 0;
  try {
    let released = 0;
    for (;;) {
      const free = await freelistCount(db);
      if (free === 0 || options.shouldStop()) return released;
      const step = Math.min(free, options.pagesPerStep);
      await sql`pragma incremental_vacuum(${sql.raw(String(step))})`.execute(db);
      const after = await freelistCount(db);
      released += free - after;
      // Something else holds the pages (a reader's snapshot): try again next run.
      if (after >= free) return released;
      await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_WRITE', options.file);
  }
}

async function freelistCount(db: Kysely<unknown>): Promise<number> {
  const result = await sql<{ freelist_count: number }>`pragma freelist_count`.execute(db);
  return result.rows[0]?.freelist_count ?? 0;
}
