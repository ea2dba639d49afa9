import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * A view of a better-sqlite3 handle for kysely's `SqliteDialect` that makes two costs
 * disappear:
 *
 * - kysely's driver calls `prepare()` for every query; for the writer's 500-row INSERT that
 *   parse was more than a tenth of ingest time, and the SQL text repeats. Statements are
 *   reused, at most `capacity` of them (least recently used dropped first). Safe because kysely
 *   runs one statement at a time on its single connection.
 * - better-sqlite3 builds each result row object through the V8 API, about twice as slow as
 *   fetching the row as an array and building the object in JavaScript (a 1440-point history
 *   read spent most of its time there). Readers run in raw mode and rows are rebuilt here,
 *   with the same keys in the same order.
 */
export function cachingStatements(handle: Database.Database, capacity = 128): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => {
      statements.clear();
      handle.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement !== undefined) {
        statements.delete(sql);
      } else {
        statement = wrap(handle.prepare(sql));
        if (statements.size >= capacity) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

function wrap(statement: Database.Statement): SqliteStatement {
  if (!statement.reader) return statement as unknown as SqliteStatement;
  statement.raw(true);
  // Column names are re-read per execution: SQLite may re-prepare after a schema change.
  let names: string[] = [];
  let build: RowBuilder = () => ({});
  const builder = (): RowBuilder => {
    const current = statement.columns().map((column) => column.name);
    if (current.length !== names.length || current.some((name, i) => name !== names[i])) {
      names = current;
      build = rowBuilder(current);
    }
    return build;
  };
  return {
    reader: true,
    all(parameters: ReadonlyArray<unknown>): unknown[] {
      const rows = statement.all(parameters) as unknown[][];
      const toObject = builder();
      const objects = new Array<Record<string, unknown>>(rows.length);
      for (let i = 0; i < rows.length; i += 1) objects[i] = toObject(rows[i] as unknown[]);
      return objects;
    },
    run(parameters: ReadonlyArray<unknown>) {
      return statement.run(parameters);
    },
    *iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
      const toObject = builder();
      for (const row of statement.iterate(parameters) as IterableIterator<unknown[]>) {
        yield toObject(row);
      }
    },
  };
}

type RowBuilder = (values: readonly unknown[]) => Record<string, unknown>;

/**
 * A function that turns a row array into an object literal with fixed keys, so every row of a
 * statement shares one hidden class and V8 stores properties directly instead of through the
 * generic keyed-store path. Keys are column names of our own SQL, embedded as JSON strings;
 * a duplicate name keeps the last value, as better-sqlite3's object rows do.
 */
function rowBuilder(keys: readonly string[]): RowBuilder {
  const fields = keys.map((key, i) => `${JSON.stringify(key)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as RowBuilder;
}
