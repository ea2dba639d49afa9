/**
 * The tables `@rigkit/storage` owns, as kysely sees them. Times are milliseconds since the
 * epoch stored as integers (`bigint` columns); hashrates are H/s (`double precision`).
 */
export interface RigkitDatabase {
  miners: MinersTable;
  miner_keys: MinerKeysTable;
  miner_sessions: MinerSessionsTable;
  hashrate_samples: HashrateSamplesTable;
  hashrate_1m: HashrateRollupTable;
  hashrate_1h: HashrateRollupTable;
  events: EventsTable;
  rollup_state: RollupStateTable;
}

/** Miner definitions, for the server. Removed miners are kept (options wiped) until retention. */
export interface MinersTable {
  id: string;
  name: string;
  kind: string;
  /** The adapter options as JSON. May hold secrets (pool passwords): never logged. */
  options: string;
  /** Per-miner supervision overrides as JSON, or null. */
  supervision: string | null;
  /** 0 or 1 (portable across SQLite and PostgreSQL). */
  autostart: number;
  created_at: number;
  updated_at: number;
  removed_at: number | null;
}

/**
 * Maps a stable miner id to a small integer that keys the time-series tables: an integer key
 * makes every sample and roll-up row smaller and their primary keys cheaper to maintain.
 */
export interface MinerKeysTable {
  key: number;
  miner_id: string;
  created_at: number;
}

/** One run of a miner (core's `SessionRecord`). */
export interface MinerSessionsTable {
  id: string;
  miner_id: string;
  generation: number;
  started_at: number;
  ended_at: number | null;
  exit_code: number | null;
  signal: string | null;
  end_reason: string | null;
  restart_attempt: number;
  /** Cumulative share counters of the run's process, as last reported. */
  shares_accepted: number;
  shares_rejected: number;
  avg_hashrate: number | null;
  samples: number;
}

/** Raw samples. `shares_*` are the shares counted since the previous sample of the miner. */
export interface HashrateSamplesTable {
  miner_key: number;
  time: number;
  hashrate: number | null;
  shares_accepted: number | null;
  shares_rejected: number | null;
}

/** One roll-up bucket (1 minute or 1 hour) of one miner. */
export interface HashrateRollupTable {
  miner_key: number;
  /** Start of the bucket, ms since the epoch, a multiple of the bucket size. */
  bucket: number;
  hashrate_avg: number | null;
  hashrate_min: number | null;
  hashrate_max: number | null;
  /** Samples in the bucket that carried a hashrate (the weight of `hashrate_avg`). */
  samples: number;
  /** Shares accepted / rejected during the bucket. */
  shares_accepted: number;
  shares_rejected: number;
}

/** Restarts, state and health changes. `data` is JSON. */
export interface EventsTable {
  id: string;
  miner_id: string;
  type: string;
  time: number;
  data: string;
}

/** Roll-up watermarks: every bucket that starts before `watermark` is final. */
export interface RollupStateTable {
  name: string;
  watermark: number;
}
