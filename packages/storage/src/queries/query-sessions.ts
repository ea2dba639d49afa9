import type { SessionRecord } from '@rigkit/core';
import type { Kysely } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import type { RigkitDatabase } from '../schema/rigkit-database.js';
import { rowToSession } from '../sessions/session-row.js';

/**
 * One page of a miner's sessions, newest first: those that started before `before` (all when
 * undefined), at most `limit`. Pass the last one's `startedAt` as the next `before`.
 */
export async function querySessions(
  db: Kysely<RigkitDatabase>,
  minerId: string,
  limit: number,
  before: number | undefined,
  file: string | undefined,
): Promise<SessionRecord[]> {
  try {
    let query = db.selectFrom('miner_sessions').selectAll().where('miner_id', '=', minerId);
    if (before !== undefined) query = query.where('started_at', '<', before);
    const rows = await query
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(rowToSession);
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_READ', file);
  }
}
