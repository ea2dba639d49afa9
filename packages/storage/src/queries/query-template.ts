import type { CompiledQuery, Kysely, QueryResult } from 'kysely';

/**
 * A query kysely compiled once, executed again with new values. Built from a query whose
 * bound values are sentinels ({@link QueryTemplate.sentinel}); each compiled parameter is
 * mapped back to the argument its sentinel stands for, so the template never depends on the
 * order a dialect emits parameters in. Any other bound value is refused: it would be frozen
 * into every execution.
 */
export class QueryTemplate<R> {
  readonly #compiled: CompiledQuery<R>;
  readonly #slots: number[];

  constructor(compiled: CompiledQuery<R>, arity: number) {
    this.#compiled = compiled;
    this.#slots = compiled.parameters.map((value) => {
      const slot = typeof value === 'number' ? QueryTemplate.#slotOf(value) : -1;
      if (slot < 0 || slot >= arity) throw new Error('query template bound a non-sentinel value');
      return slot;
    });
  }

  /** The placeholder value for argument `index` when building the query. */
  static sentinel(index: number): number {
    return -9_007_199_254_740_000 + index;
  }

  static #slotOf(value: number): number {
    return value + 9_007_199_254_740_000;
  }

  /** Runs the query with `args` in place of the sentinels. */
  execute(db: Kysely<unknown>, args: readonly unknown[]): Promise<QueryResult<R>> {
    const parameters = this.#slots.map((slot) => args[slot]);
    return db.executeQuery<R>({ ...this.#compiled, parameters });
  }
}

/** Templates per kysely instance (a compiled query belongs to its dialect), bounded per instance. */
const caches = new WeakMap<object, Map<string, QueryTemplate<unknown>>>();
const MAX_TEMPLATES = 64;

/** The template `name` for `db`, compiled by `build` on first use. */
export function template<R>(
  db: Kysely<unknown>,
  name: string,
  arity: number,
  build: () => CompiledQuery<R>,
): QueryTemplate<R> {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new Map();
    caches.set(db, cache);
  }
  let found = cache.get(name) as QueryTemplate<R> | undefined;
  if (found === undefined) {
    found = new QueryTemplate(build(), arity);
    if (cache.size >= MAX_TEMPLATES) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(name, found as QueryTemplate<unknown>);
  }
  return found;
}
