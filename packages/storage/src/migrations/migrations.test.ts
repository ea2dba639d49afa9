import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RIGKIT_APPLICATION_ID } from '../sqlite/rigkit-application-id.js';
import { Storage } from '../storage/storage.js';
import { TARGET_KINDS, TestTarget } from '../test-support/test-target.js';
import { MIGRATION_TABLE, MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

describe.each(TARGET_KINDS)('migrations (%s)', (kind) => {
  let target: TestTarget;
  beforeEach(() => {
    target = new TestTarget(kind);
  });
  afterEach(() => target.dispose());

  const schema = () =>
    target
      .handle()
      .prepare(
        "select type, name, tbl_name as tableName, sql from sqlite_master where name not like 'sqlite_%' order by type, name",
      )
      .all();
  const pragma = (name: string) => target.handle().pragma(name, { simple: true });

  it('migrates an empty database to the latest schema and stamps it as ours', async () => {
    const storage = await new Storage(target.options()).open();
    await storage.close();
    const tables = schema()
      .filter((row) => (row as { type: string }).type === 'table')
      .map((row) => (row as { name: string }).name);
    expect(tables).toEqual([
      'events',
      'hashrate_1h',
      'hashrate_1m',
      'hashrate_samples',
      'miner_keys',
      'miner_sessions',
      'miners',
      'rigkit_migration',
      'rigkit_migration_lock',
      'rollup_state',
    ]);
    expect(target.handle().prepare(`select name from ${MIGRATION_TABLE}`).all()).toEqual(
      Object.keys(MIGRATIONS).map((name) => ({ name })),
    );
    expect(pragma('user_version')).toBe(SCHEMA_VERSION);
    expect(pragma('application_id')).toBe(RIGKIT_APPLICATION_ID);
    // Set before the first table, so deletes can shrink the file.
    expect(pragma('auto_vacuum')).toBe(2);
    if (kind === 'file') expect(pragma('journal_mode')).toBe('wal');
  });

  it('re-opens idempotently: nothing re-runs, nothing is lost', async () => {
    const first = await new Storage(target.options()).open();
    await first.upsertMiner({ id: 'rig-1', name: 'Rig 1', kind: 'xmrig', options: {} });
    await first.close();
    const before = schema();

    for (let i = 0; i < 2; i += 1) {
      const again = await new Storage(target.options()).open();
      expect(await again.getMiner('rig-1')).toMatchObject({ name: 'Rig 1' });
      await again.close();
    }
    expect(schema()).toEqual(before);
    expect(target.handle().prepare(`select count(*) as n from ${MIGRATION_TABLE}`).get()).toEqual({
      n: SCHEMA_VERSION,
    });
  });

  it('matches the schema snapshot', async () => {
    const storage = await new Storage(target.options()).open();
    await storage.close();
    expect(schema()).toMatchSnapshot();
  });
});
