import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/storage.js';
import { TestTarget } from '../test-support/test-target.js';
import { checkSqliteHeader } from './check-sqlite-header.js';

// Byte-level damage needs a file: these cases have no in-memory twin.
describe('opening a damaged file', () => {
  let target: TestTarget;
  beforeEach(() => {
    target = new TestTarget('file');
  });
  afterEach(() => target.dispose());

  it('reports random bytes as E_STORAGE_CORRUPT naming the file, and leaves them alone', async () => {
    const bytes = randomBytes(8192);
    writeFileSync(target.path, bytes);
    const error = await new Storage({ file: target.path }).open().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_STORAGE_CORRUPT', file: target.path });
    expect((error as Error).message).toBe(`${target.path}: is not an SQLite database (bad header)`);
    expect(readFileSync(target.path).equals(bytes)).toBe(true);
  });

  it('reports a file shorter than a header as corrupt', async () => {
    writeFileSync(target.path, 'SQLite');
    await expect(new Storage({ file: target.path }).open()).rejects.toMatchObject({
      code: 'E_STORAGE_CORRUPT',
    });
  });

  it('reports a valid header over garbage as corrupt', async () => {
    writeFileSync(
      target.path,
      Buffer.concat([Buffer.from('SQLite format 3\0'), randomBytes(8176)]),
    );
    await expect(new Storage({ file: target.path }).open()).rejects.toMatchObject({
      code: 'E_STORAGE_CORRUPT',
      file: target.path,
    });
  });

  it('finds damaged pages with quick_check', async () => {
    const storage = await new Storage({
      file: target.path,
      maintenance: { enabled: false },
    }).open();
    for (let i = 0; i < 50; i += 1) {
      await storage.upsertMiner({
        id: `rig-${i}`,
        name: `Rig ${i}`,
        kind: 'xmrig',
        options: { i },
      });
    }
    await storage.close();
    const size = readFileSync(target.path).length;
    expect(size).toBeGreaterThan(4096 * 4);
    // Scribble over every page after the first two (keep the header and schema readable).
    const fd = openSync(target.path, 'r+');
    for (let offset = 8192; offset < size; offset += 4096)
      writeSync(fd, randomBytes(4096), 0, 4096, offset);
    closeSync(fd);
    await expect(
      new Storage({ file: target.path, integrityCheck: 'always' }).open(),
    ).rejects.toMatchObject({ code: 'E_STORAGE_CORRUPT', file: target.path });
  });

  it('fails to open a path in a missing directory with E_STORAGE_OPEN', async () => {
    await expect(
      new Storage({ file: target.sibling('missing/dir/rigkit.db') }).open(),
    ).rejects.toMatchObject({ code: 'E_STORAGE_OPEN' });
  });
});

describe('checkSqliteHeader', () => {
  let target: TestTarget;
  beforeEach(() => {
    target = new TestTarget('file');
  });
  afterEach(() => target.dispose());

  it('finds a healthy file unremarkable and a truncated copy suspicious', async () => {
    const storage = await new Storage({
      file: target.path,
      maintenance: { enabled: false },
    }).open();
    for (let i = 0; i < 200; i += 1) {
      await storage.upsertMiner({
        id: `rig-${i}`,
        name: 'x'.repeat(150),
        kind: 'xmrig',
        options: {},
      });
    }
    await storage.close();
    const bytes = readFileSync(target.path);
    expect(await checkSqliteHeader(target.path)).toEqual({ size: bytes.length, suspicious: false });

    const cut = target.sibling('cut.db');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
    expect((await checkSqliteHeader(cut)).suspicious).toBe(true); // a partial page
    // Half the pages gone: a copy that stopped early.
    const half = Math.floor(bytes.length / 8192) * 4096;
    writeFileSync(cut, bytes.subarray(0, half));
    expect(await checkSqliteHeader(cut)).toEqual({ size: half, suspicious: true });
    // A big file would skip quick_check under `auto`; a suspicious header brings it back.
    await expect(new Storage({ file: cut }).open()).rejects.toMatchObject({
      code: 'E_STORAGE_CORRUPT',
    });
  });

  it('treats a missing or empty file as a new database', async () => {
    expect(await checkSqliteHeader(target.sibling('none.db'))).toEqual({
      size: 0,
      suspicious: false,
    });
    writeFileSync(target.path, '');
    expect(await checkSqliteHeader(target.path)).toEqual({ size: 0, suspicious: false });
  });
});
