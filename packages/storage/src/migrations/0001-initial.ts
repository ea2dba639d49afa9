import { type CreateTableBuilder, type Kysely, type Migration, sql } from 'kysely';
import { isSqlite } from '../sqlite/is-sqlite.js';

/**
 * The first schema. Every statement is `if not exists`: kysely runs SQLite migrations without
 * a transaction, so a crash half-way must leave a state that simply re-running completes.
 */
export const initialMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const sqlite = isSqlite(db);
    if (sqlite) await enableIncrementalVacuum(db);
    const clustered = <TB extends string, C extends string>(builder: CreateTableBuilder<TB, C>) =>
      clusteredByKey(builder, sqlite);

    await db.schema
      .createTable('miners')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('supervision', 'text')
      .addColumn('autostart', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('removed_at', 'bigint')
      .execute();

    await db.schema
      .createTable('miner_keys')
      .ifNotExists()
      .addColumn('key', 'integer', (c) => c.primaryKey())
      .addColumn('miner_id', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('miner_sessions')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('miner_id', 'text', (c) => c.notNull())
      .addColumn('generation', 'integer', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('exit_code', 'integer')
      .addColumn('signal', 'text')
      .addColumn('end_reason', 'text')
      .addColumn('restart_attempt', 'integer', (c) => c.notNull())
      .addColumn('shares_accepted', 'bigint', (c) => c.notNull())
      .addColumn('shares_rejected', 'bigint', (c) => c.notNull())
      .addColumn('avg_hashrate', 'double precision')
      .addColumn('samples', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('miner_sessions_miner_started')
      .ifNotExists()
      .on('miner_sessions')
      .columns(['miner_id', 'started_at'])
      .execute();
    await db.schema
      .createIndex('miner_sessions_ended')
      .ifNotExists()
      .on('miner_sessions')
      .column('ended_at')
      .execute();

    await clustered(
      db.schema
        .createTable('hashrate_samples')
        .ifNotExists()
        .addColumn('miner_key', 'integer', (c) => c.notNull())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('hashrate', 'double precision')
        .addColumn('shares_accepted', 'integer')
        .addColumn('shares_rejected', 'integer')
        .addPrimaryKeyConstraint('hashrate_samples_pk', ['miner_key', 'time']),
    ).execute();

    for (const table of ['hashrate_1m', 'hashrate_1h']) {
      await clustered(
        db.schema
          .createTable(table)
          .ifNotExists()
          .addColumn('miner_key', 'integer', (c) => c.notNull())
          .addColumn('bucket', 'bigint', (c) => c.notNull())
          .addColumn('hashrate_avg', 'double precision')
          .addColumn('hashrate_min', 'double precision')
          .addColumn('hashrate_max', 'double precision')
          .addColumn('samples', 'integer', (c) => c.notNull())
          .addColumn('shares_accepted', 'bigint', (c) => c.notNull())
          .addColumn('shares_rejected', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, ['miner_key', 'bucket']),
      ).execute();
    }

    await db.schema
      .createTable('events')
      .ifNotExists()
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('miner_id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('time', 'bigint', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('events_miner_time')
      .ifNotExists()
      .on('events')
      .columns(['miner_id', 'time'])
      .execute();
    await db.schema.createIndex('events_time').ifNotExists().on('events').column('time').execute();

    await db.schema
      .createTable('rollup_state')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('watermark', 'bigint', (c) => c.notNull())
      .execute();
  },
};

/**
 * WITHOUT ROWID stores a time series once, clustered by (miner, time), instead of a rowid table
 * plus a primary-key index that holds the same columns again: about half the bytes.
 */
function clusteredByKey<TB extends string, C extends string>(
  builder: CreateTableBuilder<TB, C>,
  sqlite: boolean,
): CreateTableBuilder<TB, C> {
  return sqlite ? builder.modifyEnd(sql`without rowid`) : builder;
}

/**
 * `auto_vacuum` only takes effect on a database without tables, and kysely's migrator has
 * created its own two tables by the time this runs: set the mode, then VACUUM to apply it.
 * That VACUUM rewrites two empty tables — it is instant here, and never runs again.
 */
async function enableIncrementalVacuum(db: Kysely<unknown>): Promise<void> {
  const mode = await sql<{ auto_vacuum: number }>`pragma auto_vacuum`.execute(db);
  if (mode.rows[0]?.auto_vacuum === 2) return;
  await sql`pragma auto_vacuum = incremental`.execute(db);
  await sql`vacuum`.execute(db);
}
