import { Storage } from './storage.js';
import type { StorageOptions } from './storage-options.js';

/**
 * Creates a {@link Storage} and opens it: `createStorage({ file: 'rigkit.db' })` for SQLite, or
 * `createStorage({ dialect })` for any kysely dialect. Rejects with a `StorageError` when the
 * database is damaged, foreign or too new — it never resets a file.
 */
export function createStorage(options: StorageOptions): Promise<Storage> {
  return new Storage(options).open();
}
