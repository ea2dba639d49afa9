import type { Kysely, Selectable } from 'kysely';
import { StorageError } from '../errors/storage-error.js';
import { assertMinerId, isMinerId } from '../queries/query-arguments.js';
import type { MinersTable, RigkitDatabase } from '../schema/rigkit-database.js';

/** A miner definition to save. `options` may hold secrets: stored as is, never logged. */
export interface MinerDefinition {
  /** Stable id, `[A-Za-z0-9_-]{1,64}`. */
  id: string;
  name: string;
  /** The adapter kind, e.g. `xmrig`. */
  kind: string;
  /** Adapter options (JSON-serialisable). */
  options: Record<string, unknown>;
  /** Start with the server. Default false. */
  autostart?: boolean;
  /** Per-miner supervision overrides (JSON-serialisable). */
  supervision?: Record<string, unknown> | undefined;
}

/** A saved miner definition. */
export interface StoredMiner {
  id: string;
  name: string;
  kind: string;
  options: Record<string, unknown>;
  autostart: boolean;
  supervision: Record<string, unknown> | undefined;
  createdAt: number;
  updatedAt: number;
}

/** Largest serialised `options` or `supervision`, bytes: a definition is config, not data. */
export const MAX_DEFINITION_JSON = 64 * 1024;
const MAX_NAME = 200;

/**
 * Inserts or replaces a definition (a removed one comes back). Throws
 * `E_STORAGE_INVALID_INPUT` naming the field, never its value.
 */
export async function upsertMiner(
  db: Kysely<RigkitDatabase>,
  input: MinerDefinition,
  now: number,
  file: string | undefined,
): Promise<StoredMiner> {
  const row = toRow(input, now, file);
  try {
    const saved = await db
      .insertInto('miners')
      .values(row)
      .onConflict((oc) =>
        oc.column('id').doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          kind: eb.ref('excluded.kind'),
          options: eb.ref('excluded.options'),
          supervision: eb.ref('excluded.supervision'),
          autostart: eb.ref('excluded.autostart'),
          updated_at: eb.ref('excluded.updated_at'),
          removed_at: null,
        })),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return fromRow(saved);
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_WRITE', file);
  }
}

/** The definition of `id`, or undefined (also for removed miners). */
export async function getMiner(
  db: Kysely<RigkitDatabase>,
  id: string,
  file: string | undefined,
): Promise<StoredMiner | undefined> {
  if (!isMinerId(id)) return undefined;
  try {
    const row = await db
      .selectFrom('miners')
      .selectAll()
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return row === undefined ? undefined : fromRow(row);
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_READ', file);
  }
}

/** One page of definitions ordered by id, those after `after`; removed miners are left out. */
export async function listMiners(
  db: Kysely<RigkitDatabase>,
  limit: number,
  after: string | undefined,
  file: string | undefined,
): Promise<StoredMiner[]> {
  try {
    let query = db.selectFrom('miners').selectAll().where('removed_at', 'is', null);
    if (after !== undefined) query = query.where('id', '>', after);
    const rows = await query.orderBy('id').limit(limit).execute();
    return rows.map(fromRow);
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_READ', file);
  }
}

/**
 * Marks `id` removed and wipes its options and supervision (secrets do not outlive the miner).
 * Its history stays readable until retention ages it out; the row itself goes after
 * `retention.removedMiners`. Resolves to false when there was no such (live) miner.
 */
export async function removeMiner(
  db: Kysely<RigkitDatabase>,
  id: string,
  now: number,
  file: string | undefined,
): Promise<boolean> {
  if (!isMinerId(id)) return false;
  try {
    const result = await db
      .updateTable('miners')
      .set({ removed_at: now, updated_at: now, options: '{}', supervision: null })
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  } catch (error) {
    throw StorageError.from(error, 'E_STORAGE_WRITE', file);
  }
}

function toRow(input: MinerDefinition, now: number, file: string | undefined): MinersTable {
  const invalid = (field: string, why: string) =>
    new StorageError('E_STORAGE_INVALID_INPUT', `miner ${field} ${why}`, {
      file,
      details: { field },
    });
  if (typeof input !== 'object' || input === null) throw invalid('definition', 'must be an object');
  assertMinerId(input.id, file, 'E_STORAGE_INVALID_INPUT');
  if (typeof input.name !== 'string' || input.name.length === 0 || input.name.length > MAX_NAME) {
    throw invalid('name', `must be a string of 1 to ${MAX_NAME} characters`);
  }
  if (typeof input.kind !== 'string' || !/^[A-Za-z0-9@/._-]{1,214}$/.test(input.kind)) {
    throw invalid('kind', 'must be an adapter kind');
  }
  if (input.autostart !== undefined && typeof input.autostart !== 'boolean') {
    throw invalid('autostart', 'must be a boolean');
  }
  const options = toJson(input.options, () =>
    invalid('options', 'must be a JSON object up to 64 KiB'),
  );
  const supervision =
    input.supervision === undefined
      ? null
      : toJson(input.supervision, () =>
          invalid('supervision', 'must be a JSON object up to 64 KiB'),
        );
  return {
    id: input.id,
    name: input.name,
    kind: input.kind,
    options,
    supervision,
    autostart: input.autostart === true ? 1 : 0,
    created_at: now,
    updated_at: now,
    removed_at: null,
  };
}

function toJson(value: unknown, invalid: () => StorageError): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid();
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    throw invalid();
  }
  if (Buffer.byteLength(text) > MAX_DEFINITION_JSON) throw invalid();
  return text;
}

function fromRow(row: Selectable<MinersTable>): StoredMiner {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    options: JSON.parse(row.options) as Record<string, unknown>,
    autostart: row.autostart === 1,
    supervision:
      row.supervision === null
        ? undefined
        : (JSON.parse(row.supervision) as Record<string, unknown>),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
