import type { Kysely } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import type { RigkitDatabase } from '../schema/rigkit-database.js';

/** An event as stored. */
export interface StoredEvent {
  /** Unique id; with `time`, the cursor for the next page. */
  id: string;
  minerId: string;
  type: string;
  time: number;
  data: Record<string, unknown>;
}

/** Where the previous page ended: the last event's `time` and `id`. */
export interface EventCursor {
  time: number;
  id: string;
}

/**
 * One page of a miner's events, newest first, strictly after `before` in that order. Events of
 * the same millisecond are ordered by id, so paging never skips or repeats one.
 */
export async function queryEvents(
  db: Kysely<RigkitDatabase>,
  minerId: string,
  options: { limit: number; before: EventCursor | undefined; type: string | undefined },
  file: string | undefined,
): Promise<StoredEvent[]> {
  try {
    let query = db.selectFrom('events').selectAll().where('miner_id', '=', minerId);
    const { before, type } = options;
    if (type !== undefined) query = query.where('type', '=', type);
    if (before !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb('time', '<', before.time),
          eb.and([eb('time', '=', before.time), eb('id', '<', before.id)]),
        ]),
      );
    }
    const rows = await query
      .orderBy('time', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      minerId: row.miner_id,
      type: row.type,
      time: row.time,
      data: parseObject(row.data),
    }));
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_READ', file);
  }
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { value };
  } catch {
    return {};
  }
}
