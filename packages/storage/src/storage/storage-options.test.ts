import Database from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION } from '../retention/retention-policy.js';
import { resolveStorageOptions, type StorageOptions } from './storage-options.js';

describe('resolveStorageOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveStorageOptions({ file: ':memory:' });
    expect(resolved.retention).toEqual(DEFAULT_RETENTION);
    expect(resolved.writer).toMatchObject({
      flushIntervalMs: 1000,
      flushRows: 500,
      maxQueue: 50_000,
    });
    expect(resolved.maintenance).toMatchObject({ enabled: true, rollupIntervalMs: 60_000 });
    expect(resolved.integrityCheck).toBe('auto');
  });

  it.each([
    ['neither file nor dialect', {}],
    [
      'both file and dialect',
      { file: 'a.db', dialect: new SqliteDialect({ database: new Database(':memory:') }) },
    ],
    ['an empty file name', { file: '' }],
    ['a negative retention', { file: 'a.db', retention: { raw: -1 } }],
    ['raw kept longer than minutes', { file: 'a.db', retention: { raw: 40 * 86_400_000 } }],
    ['a fractional queue size', { file: 'a.db', writer: { maxQueue: 1.5 } }],
    ['an unknown integrity policy', { file: 'a.db', integrityCheck: 'sometimes' }],
    ['a clock that is not a function', { file: 'a.db', now: 5 }],
  ])('refuses %s', (_name, options) => {
    expect(() => resolveStorageOptions(options as unknown as StorageOptions)).toThrow(
      expect.objectContaining({ code: 'E_STORAGE_INVALID_OPTIONS' }),
    );
  });
});
