import type { SessionEndReason, SessionRecord } from '@rigkit/core';
import type { Selectable } from 'kysely';
import type { MinerSessionsTable } from '../schema/rigkit-database.js';

/** A `miner_sessions` row for `session` (missing optional fields become NULL). */
export function sessionToRow(session: SessionRecord): MinerSessionsTable {
  return {
    id: session.id,
    miner_id: session.minerId,
    generation: session.generation,
    started_at: session.startedAt,
    ended_at: session.endedAt ?? null,
    exit_code: session.exitCode ?? null,
    signal: session.signal ?? null,
    end_reason: session.endReason ?? null,
    restart_attempt: session.restartAttempt,
    shares_accepted: session.shares.accepted,
    shares_rejected: session.shares.rejected,
    avg_hashrate: finiteOrNull(session.avgHashrate),
    samples: session.samples,
  };
}

/** The `SessionRecord` a row stores (NULL optional fields are left out). */
export function rowToSession(row: Selectable<MinerSessionsTable>): SessionRecord {
  const session: SessionRecord = {
    id: row.id,
    minerId: row.miner_id,
    generation: row.generation,
    startedAt: row.started_at,
    restartAttempt: row.restart_attempt,
    shares: { accepted: row.shares_accepted, rejected: row.shares_rejected },
    samples: row.samples,
  };
  if (row.ended_at !== null) session.endedAt = row.ended_at;
  if (row.exit_code !== null) session.exitCode = row.exit_code;
  if (row.signal !== null) session.signal = row.signal;
  if (row.end_reason !== null) session.endReason = row.end_reason as SessionEndReason;
  if (row.avg_hashrate !== null) session.avgHashrate = row.avg_hashrate;
  return session;
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
