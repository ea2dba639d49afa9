import type { Migration, MigrationProvider } from 'kysely';

/** A kysely `MigrationProvider` over an in-code record of migrations (no folder to read). */
export class RecordMigrationProvider implements MigrationProvider {
  readonly #migrations: Readonly<Record<string, Migration>>;

  constructor(migrations: Readonly<Record<string, Migration>>) {
    this.#migrations = migrations;
  }

  /** The migrations, keyed by name; kysely runs them in name order. */
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({ ...this.#migrations });
  }
}
