import type { Migration } from 'kysely';
import { initialMigration } from './0001-initial.js';

/**
 * Every migration, in order of their names. Bundling drops migration folders, so they live in
 * code. Append only: a released migration is never edited or renamed.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001_initial': initialMigration,
});

/** The schema version this code writes: the number of migrations. */
export const SCHEMA_VERSION = Object.keys(MIGRATIONS).length;

/** Table names of kysely's migration bookkeeping, prefixed so they read as Rigkit's. */
export const MIGRATION_TABLE = 'rigkit_migration';
export const MIGRATION_LOCK_TABLE = 'rigkit_migration_lock';
