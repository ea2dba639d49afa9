import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachingStatements } from './statement-cache.js';

describe('cachingStatements', () => {
  it('reuses a prepared statement for the same SQL and keeps at most capacity', () => {
    const handle = new Database(':memory:');
    const cached = cachingStatements(handle, 2);
    const first = cached.prepare('select 1 as one');
    expect(cached.prepare('select 1 as one')).toBe(first);
    cached.prepare('select 2 as two');
    cached.prepare('select 3 as three'); // evicts the least recently used: select 1
    expect(cached.prepare('select 1 as one')).not.toBe(first);
    expect(cached.prepare('select 3 as three').all([])).toEqual([{ three: 3 }]);
    cached.close();
    expect(handle.open).toBe(false);
  });

  it('returns rows as better-sqlite3 would: same keys, same order, last duplicate wins', () => {
    const handle = new Database(':memory:');
    const cached = cachingStatements(handle);
    handle.exec("create table t (a integer, b text); insert into t values (1, 'x'), (2, 'y')");
    const sql = 'select a, b, a as "weird key", b as a from t order by rowid';
    const expected = handle.prepare(sql).all();
    const rows = cached.prepare(sql).all([]);
    expect(rows).toEqual(expected);
    expect(Object.keys(rows[0] as object)).toEqual(Object.keys(expected[0] as object));
    expect([...cached.prepare(sql).iterate([])]).toEqual(expected);
    expect(cached.prepare('insert into t values (?, ?)').run([3, 'z'])).toMatchObject({
      changes: 1,
    });
    handle.close();
  });

  it('follows a schema change under a cached statement', () => {
    const handle = new Database(':memory:');
    const cached = cachingStatements(handle);
    handle.exec('create table t (a integer); insert into t values (1)');
    expect(cached.prepare('select * from t').all([])).toEqual([{ a: 1 }]);
    handle.exec('alter table t add column b integer default 7');
    expect(cached.prepare('select * from t').all([])).toEqual([{ a: 1, b: 7 }]);
    handle.close();
  });
});
