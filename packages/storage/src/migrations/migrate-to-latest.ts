import { type Kysely, Migrator, sql } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import { isSqlite } from '../sqlite/is-sqlite.js';
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { RecordMigrationProvider } from './record-migration-provider.js';

/**
 * Brings the schema up to {@link SCHEMA_VERSION}. Refuses a database that a newer version
 * migrated (it has migrations this code does not know): running old code on a newer schema
 * is how data gets silently mangled.
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  file: string | undefined,
): Promise<void> {
  await assertKnownMigrations(db, file);
  const migrator = new Migrator({
    db,
    provider: new RecordMigrationProvider(MIGRATIONS),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const wrapped = StorageError.from(error, 'E_STORAGE_OPEN', file);
    throw new StorageError(wrapped.code, `migration failed: ${messageOf(error)}`, {
      cause: error,
      file,
      details: wrapped.details,
    });
  }
  // Mirrors the version into the header, where tools (and our own open check) read it cheaply.
  if (isSqlite(db)) await sql`pragma user_version = ${sql.raw(String(SCHEMA_VERSION))}`.execute(db);
}

async function assertKnownMigrations(db: Kysely<unknown>, file: string | undefined) {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((table) => table.name === MIGRATION_TABLE)) return;
  const executed = await sql<{
    name: string;
  }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  const unknown = executed.rows.filter((row) => !Object.hasOwn(MIGRATIONS, row.name));
  if (unknown.length > 0) {
    throw new StorageError(
      'E_STORAGE_SCHEMA_TOO_NEW',
      `schema has ${executed.rows.length} migrations, ${unknown.length} of them newer than this ` +
        `@rigkit/storage knows (schema version ${SCHEMA_VERSION}); upgrade @rigkit/storage`,
      { file, details: { knownVersion: SCHEMA_VERSION, unknownMigrations: unknown.length } },
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
