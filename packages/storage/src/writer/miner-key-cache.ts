import type { Kysely, Transaction } from 'kysely';
import type { RigkitDatabase } from '../schema/rigkit-database.js';

const LOOKUP_CHUNK = 500;

/**
 * Resolves stable miner ids to the integer keys of the time-series tables, creating keys on
 * first sight. Keys found or created inside a transaction only enter the cache once that
 * transaction committed ({@link MinerKeyCache.commit}): a rolled-back key must never be reused.
 * Bounded: at most `capacity` ids are cached; the oldest is forgotten first.
 */
export class MinerKeyCache {
  readonly #capacity: number;
  readonly #keys = new Map<string, number>();

  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  /** The cached key of `minerId`, if any. */
  get(minerId: string): number | undefined {
    return this.#keys.get(minerId);
  }

  /**
   * Keys for every id in `minerIds` within `trx`, creating missing ones. `found` holds the ids
   * that were not cached: pass it to {@link MinerKeyCache.commit} once the transaction committed.
   */
  async resolve(
    trx: Transaction<RigkitDatabase> | Kysely<RigkitDatabase>,
    minerIds: Iterable<string>,
    now: number,
  ): Promise<{ all: Map<string, number>; found: Map<string, number> }> {
    const all = new Map<string, number>();
    const missing: string[] = [];
    for (const id of new Set(minerIds)) {
      const key = this.#keys.get(id);
      if (key === undefined) missing.push(id);
      else all.set(id, key);
    }
    const found = new Map<string, number>();
    for (let i = 0; i < missing.length; i += LOOKUP_CHUNK) {
      const rows = await trx
        .selectFrom('miner_keys')
        .select(['key', 'miner_id'])
        .where('miner_id', 'in', missing.slice(i, i + LOOKUP_CHUNK))
        .execute();
      for (const row of rows) found.set(row.miner_id, row.key);
    }
    for (const minerId of missing) {
      if (found.has(minerId)) continue;
      // max + 1 instead of an auto-increment column: portable, and there is one writer.
      const created = await trx
        .insertInto('miner_keys')
        .columns(['key', 'miner_id', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('miner_keys')
            .select([
              eb(eb.fn.coalesce(eb.fn.max('key'), eb.lit(0)), '+', eb.lit(1)).as('key'),
              eb.val(minerId).as('miner_id'),
              eb.val(now).as('created_at'),
            ]),
        )
        .returning('key')
        .executeTakeFirstOrThrow();
      found.set(minerId, created.key);
    }
    for (const [id, key] of found) all.set(id, key);
    return { all, found };
  }

  /** Caches keys whose transaction committed. */
  commit(keys: ReadonlyMap<string, number>): void {
    for (const [minerId, key] of keys) {
      if (!this.#keys.has(minerId) && this.#keys.size >= this.#capacity) {
        const oldest = this.#keys.keys().next().value;
        if (oldest !== undefined) this.#keys.delete(oldest);
      }
      this.#keys.set(minerId, key);
    }
  }

  /** Forgets ids whose keys retention deleted. */
  forget(minerIds: Iterable<string>): void {
    for (const minerId of minerIds) this.#keys.delete(minerId);
  }
}
