import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QueryTemplate, template } from './query-template.js';

interface Db {
  t: { a: number; b: number };
}

describe('QueryTemplate', () => {
  let db: Kysely<Db>;
  beforeEach(async () => {
    db = new Kysely<Db>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    await db.schema.createTable('t').addColumn('a', 'integer').addColumn('b', 'integer').execute();
    await db
      .insertInto('t')
      .values([1, 2, 3, 4, 5].map((a) => ({ a, b: a * 10 })))
      .execute();
  });
  afterEach(() => db.destroy());

  it('binds arguments by sentinel, whatever order the dialect emits them in', async () => {
    const [$low, $high, $limit] = [0, 1, 2].map((i) => QueryTemplate.sentinel(i)) as [
      number,
      number,
      number,
    ];
    // The limit is written first in the builder chain but bound last by the compiler.
    const query = template(db as Kysely<unknown>, 'range', 3, () =>
      db
        .selectFrom('t')
        .select(['a', 'b'])
        .limit($limit)
        .where('a', '<=', $high)
        .where('a', '>=', $low)
        .orderBy('a')
        .compile(),
    );
    expect((await query.execute(db as Kysely<unknown>, [2, 4, 10])).rows).toEqual([
      { a: 2, b: 20 },
      { a: 3, b: 30 },
      { a: 4, b: 40 },
    ]);
    expect((await query.execute(db as Kysely<unknown>, [1, 5, 2])).rows.map((r) => r.a)).toEqual([
      1, 2,
    ]);
    expect(
      template(db as Kysely<unknown>, 'range', 3, () => {
        throw new Error('compiled twice');
      }),
    ).toBe(query);
  });

  it('refuses a query that binds anything but sentinels', () => {
    const compiled = db.selectFrom('t').selectAll().where('a', '=', 3).compile();
    expect(() => new QueryTemplate(compiled, 1)).toThrow(/non-sentinel/);
  });
});
