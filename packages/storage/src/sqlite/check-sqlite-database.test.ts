import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../migrations/migrations.js';
import { Storage } from '../storage/storage.js';
import { TARGET_KINDS, TestTarget } from '../test-support/test-target.js';
import { RIGKIT_APPLICATION_ID } from './rigkit-application-id.js';

describe.each(TARGET_KINDS)('opening a database that is not ours (%s)', (kind) => {
  let target: TestTarget;
  beforeEach(() => {
    target = new TestTarget(kind);
  });
  afterEach(() => target.dispose());

  it('refuses an SQLite database made by another program, naming the file, touching nothing', async () => {
    const other = target.handle();
    other.exec('create table accounts (id integer primary key, secret text)');
    other.prepare('insert into accounts (secret) values (?)').run('hunter2');
    const journal = other.pragma('journal_mode', { simple: true });

    const error = await new Storage(target.options()).open().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_STORAGE_FOREIGN', file: target.path });
    expect((error as Error).message).toContain(target.path);
    expect(other.prepare("select name from sqlite_master where type = 'table'").all()).toEqual([
      { name: 'accounts' },
    ]);
    expect(other.pragma('journal_mode', { simple: true })).toBe(journal);
    expect(other.pragma('application_id', { simple: true })).toBe(0);
  });

  it('refuses an empty database stamped with another application id', async () => {
    target.handle().pragma('application_id = 1234');
    await expect(new Storage(target.options()).open()).rejects.toMatchObject({
      code: 'E_STORAGE_FOREIGN',
    });
  });

  it('refuses a schema version newer than it knows, with a clear message', async () => {
    const storage = await new Storage(target.options()).open();
    await storage.close();
    target.handle().pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    const error = await new Storage(target.options()).open().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_STORAGE_SCHEMA_TOO_NEW' });
    expect((error as Error).message).toMatch(/newer than this @rigkit\/storage knows.*upgrade/);
  });

  it('refuses a database that ran migrations it does not know', async () => {
    const storage = await new Storage(target.options()).open();
    await storage.close();
    target
      .handle()
      .prepare('insert into rigkit_migration (name, timestamp) values (?, ?)')
      .run('9999_from_the_future', new Date(0).toISOString());
    await expect(new Storage(target.options()).open()).rejects.toMatchObject({
      code: 'E_STORAGE_SCHEMA_TOO_NEW',
    });
  });

  it('accepts an empty database and stamps it before creating tables', async () => {
    const storage = await new Storage(target.options()).open();
    await storage.close();
    expect(target.handle().pragma('application_id', { simple: true })).toBe(RIGKIT_APPLICATION_ID);
  });
});
