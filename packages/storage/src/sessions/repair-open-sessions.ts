import { type Kysely, sql } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import type { RigkitDatabase } from '../schema/rigkit-database.js';

/**
 * Closes sessions an unclean shutdown left open: reason `unclean-shutdown`, ended at the last
 * sample of that miner during the run (raw first, then the roll-ups once raw rows have aged
 * out), or at the start when there is none. Resolves to the sessions repaired.
 *
 * Run once on open, before the writer starts: at that point nothing of ours is running, so
 * every open session belongs to a process that is gone.
 */
export async function repairOpenSessions(
  db: Kysely<RigkitDatabase>,
  file: string | undefined,
): Promise<number> {
  try {
    const lastSeen = (table: 'hashrate_samples' | 'hashrate_1m' | 'hashrate_1h') => {
      const column = table === 'hashrate_samples' ? 'time' : 'bucket';
      return sql<number | null>`(select max(s.${sql.ref(column)}) from ${sql.table(table)} s
        join miner_keys k on k.key = s.miner_key
        where k.miner_id = miner_sessions.miner_id
          and s.${sql.ref(column)} >= miner_sessions.started_at)`;
    };
    const result = await db
      .updateTable('miner_sessions')
      .set({
        end_reason: 'unclean-shutdown',
        ended_at: sql<number>`coalesce(${lastSeen('hashrate_samples')}, ${lastSeen('hashrate_1m')}, ${lastSeen('hashrate_1h')}, started_at)`,
      })
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_WRITE', file);
  }
}
