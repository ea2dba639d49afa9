import { isRigkitError, RigkitError } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { StorageError } from './storage-error.js';

describe('StorageError', () => {
  it('is a RigkitError with a stable code and names the file', () => {
    const error = new StorageError('E_STORAGE_FOREIGN', 'made by another program', {
      file: '/data/rigkit.db',
    });
    expect(error).toBeInstanceOf(RigkitError);
    expect(isRigkitError(error)).toBe(true);
    expect(error.code).toBe('E_STORAGE_FOREIGN');
    expect(error.name).toBe('StorageError');
    expect(error.message).toBe('/data/rigkit.db: made by another program');
    expect(error.file).toBe('/data/rigkit.db');
    expect(error.toJSON()).toEqual({
      code: 'E_STORAGE_FOREIGN',
      message: '/data/rigkit.db: made by another program',
      details: { file: '/data/rigkit.db' },
    });
  });

  it('maps SQLite corruption codes to E_STORAGE_CORRUPT whatever the fallback', () => {
    const notADb = Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' });
    const corrupt = Object.assign(new Error('malformed'), { code: 'SQLITE_CORRUPT_INDEX' });
    const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    expect(StorageError.from(notADb, 'E_STORAGE_WRITE', 'a.db').code).toBe('E_STORAGE_CORRUPT');
    expect(StorageError.from(corrupt, 'E_STORAGE_READ', 'a.db').code).toBe('E_STORAGE_CORRUPT');
    const wrapped = StorageError.from(full, 'E_STORAGE_WRITE', 'a.db');
    expect(wrapped.code).toBe('E_STORAGE_WRITE');
    expect(wrapped.details).toEqual({ file: 'a.db', sqliteCode: 'SQLITE_FULL' });
    expect(wrapped.cause).toBe(full);
    expect(wrapped.message).toBe('a.db: write failed: database or disk is full');
  });

  it('passes a StorageError through unchanged', () => {
    const error = new StorageError('E_STORAGE_CLOSED', 'storage is closed');
    expect(StorageError.from(error, 'E_STORAGE_WRITE', 'x.db')).toBe(error);
  });
});
