import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from './open-sqlite.js';

describe('openSqlite', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens a file database with WAL, NORMAL sync and foreign keys on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rigkit-storage-'));
    const db = openSqlite(join(dir, 'rigkit.db'), { busyTimeoutMs: 1234 });
    try {
      const pragma = async (name: string) =>
        (await sql<Record<string, unknown>>`select * from ${sql.raw(`pragma_${name}`)}`.execute(db))
          .rows[0];
      expect(await pragma('journal_mode')).toEqual({ journal_mode: 'wal' });
      expect(await pragma('synchronous')).toEqual({ synchronous: 1 });
      expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 });
      expect(await pragma('busy_timeout')).toEqual({ timeout: 1234 });
    } finally {
      await db.destroy();
    }
  });
});
