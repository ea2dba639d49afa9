import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import type { RigkitDatabase } from '../schema/rigkit-database.js';
import { sessionToRow } from '../sessions/session-row.js';
import type { WriteBatch } from './batch-writer.js';
import type { MinerKeyCache } from './miner-key-cache.js';

/** Rows per sample INSERT: 5 parameters each stays far below SQLite's 32 766 limit. */
const SAMPLE_CHUNK = 500;
const SAMPLE_COLUMNS = 5;
const EVENT_CHUNK = 100;

/**
 * Writes a {@link WriteBatch} to the database in one transaction: miner keys first, then
 * session upserts, events and samples. The sample INSERT is compiled by kysely once per chunk
 * size and re-executed with new parameters — building a 500-row query costs milliseconds,
 * which at 200k samples/s would be most of the time.
 */
export class DatabaseBatchSink {
  readonly #db: Kysely<RigkitDatabase>;
  readonly #keys: MinerKeyCache;
  readonly #now: () => number;
  readonly #onSamplesWritten: (oldestTime: number) => void;
  readonly #templates = new Map<number, CompiledQuery>();

  constructor(
    db: Kysely<RigkitDatabase>,
    keys: MinerKeyCache,
    now: () => number,
    onSamplesWritten: (oldestTime: number) => void,
  ) {
    this.#db = db;
    this.#keys = keys;
    this.#now = now;
    this.#onSamplesWritten = onSamplesWritten;
  }

  /** Writes `batch`; rejects (and rolls back) on any failure. */
  async write(batch: WriteBatch): Promise<void> {
    const found = await this.#db.transaction().execute(async (trx) => {
      const { samples } = batch;
      const keys = await this.#keys.resolve(trx, samples.minerIds, this.#now());
      for (const session of batch.sessions) await upsertSession(trx, session);
      for (let i = 0; i < batch.events.length; i += EVENT_CHUNK) {
        await trx
          .insertInto('events')
          .values(
            batch.events.slice(i, i + EVENT_CHUNK).map((event) => ({
              id: event.id,
              miner_id: event.minerId,
              type: event.type,
              time: event.time,
              data: event.data,
            })),
          )
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
      for (let start = 0; start < samples.length; start += SAMPLE_CHUNK) {
        const end = Math.min(samples.length, start + SAMPLE_CHUNK);
        await this.#insertSamples(trx, batch, keys.all, start, end);
      }
      return keys.found;
    });
    this.#keys.commit(found);
    if (batch.samples.length > 0) {
      let oldest = Number.POSITIVE_INFINITY;
      for (const time of batch.samples.times) if (time < oldest) oldest = time;
      this.#onSamplesWritten(oldest);
    }
  }

  async #insertSamples(
    trx: Transaction<RigkitDatabase>,
    batch: WriteBatch,
    keys: ReadonlyMap<string, number>,
    start: number,
    end: number,
  ): Promise<void> {
    const { minerIds, times, hashrates, accepted, rejected } = batch.samples;
    const parameters: unknown[] = new Array((end - start) * SAMPLE_COLUMNS);
    let p = 0;
    for (let i = start; i < end; i += 1) {
      const minerId = minerIds[i] as string;
      const hashrate = hashrates[i] as number;
      const sharesAccepted = accepted[i] as number;
      const sharesRejected = rejected[i] as number;
      parameters[p++] = keys.get(minerId);
      parameters[p++] = times[i];
      parameters[p++] = Number.isNaN(hashrate) ? null : hashrate;
      parameters[p++] = Number.isNaN(sharesAccepted) ? null : sharesAccepted;
      parameters[p++] = Number.isNaN(sharesRejected) ? null : sharesRejected;
    }
    await trx.executeQuery({ ...this.#template(end - start), parameters });
  }

  /** The compiled INSERT for `rows` rows, parameters in row order (key, time, hashrate, …). */
  #template(rows: number): CompiledQuery {
    let template = this.#templates.get(rows);
    if (template !== undefined) return template;
    template = this.#db
      .insertInto('hashrate_samples')
      .values(
        Array.from({ length: rows }, () => ({
          miner_key: 0,
          time: 0,
          hashrate: 0,
          shares_accepted: 0,
          shares_rejected: 0,
        })),
      )
      .onConflict((oc) => oc.columns(['miner_key', 'time']).doNothing())
      .compile();
    if (template.parameters.length !== rows * SAMPLE_COLUMNS) {
      throw new Error('unexpected sample INSERT shape');
    }
    // Only the full chunk is reused for ever; odd remainders stay cached only while few.
    if (rows === SAMPLE_CHUNK || this.#templates.size < 8) this.#templates.set(rows, template);
    return template;
  }
}

async function upsertSession(
  trx: Transaction<RigkitDatabase>,
  session: WriteBatch['sessions'][number],
): Promise<void> {
  const row = sessionToRow(session);
  await trx
    .insertInto('miner_sessions')
    .values(row)
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        miner_id: eb.ref('excluded.miner_id'),
        generation: eb.ref('excluded.generation'),
        started_at: eb.ref('excluded.started_at'),
        ended_at: eb.ref('excluded.ended_at'),
        exit_code: eb.ref('excluded.exit_code'),
        signal: eb.ref('excluded.signal'),
        end_reason: eb.ref('excluded.end_reason'),
        restart_attempt: eb.ref('excluded.restart_attempt'),
        shares_accepted: eb.ref('excluded.shares_accepted'),
        shares_rejected: eb.ref('excluded.shares_rejected'),
        avg_hashrate: eb.ref('excluded.avg_hashrate'),
        samples: eb.ref('excluded.samples'),
      })),
    )
    .execute();
}
