export type { StorageErrorCode, StorageErrorOptions } from './errors/storage-error.js';
export { StorageError } from './errors/storage-error.js';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations/migrations.js';
export type { MinerDefinition, StoredMiner } from './miners/miner-definitions.js';
export type { HistoryResolution } from './queries/history-source.js';
export { MINER_ID_PATTERN, QUERY_LIMITS } from './queries/query-arguments.js';
export type { EventCursor, StoredEvent } from './queries/query-events.js';
export type { HistoryPoint, HistoryResult } from './queries/query-history.js';
export type { MinerSummary } from './queries/query-summary.js';
export type { RetentionReport } from './retention/enforce-retention.js';
export type { RetentionPolicy } from './retention/retention-policy.js';
export { DEFAULT_RETENTION } from './retention/retention-policy.js';
export type { RollupReport } from './rollup/rollup-job.js';
export type {
  EventsTable,
  HashrateRollupTable,
  HashrateSamplesTable,
  MinerKeysTable,
  MinerSessionsTable,
  MinersTable,
  RigkitDatabase,
  RollupStateTable,
} from './schema/rigkit-database.js';
export type { OpenSqliteOptions } from './sqlite/open-sqlite.js';
export { openSqlite } from './sqlite/open-sqlite.js';
export { RIGKIT_APPLICATION_ID } from './sqlite/rigkit-application-id.js';
export { createStorage } from './storage/create-storage.js';
export type {
  EventsOptions,
  HistoryOptions,
  ListMinersOptions,
  MaintenanceReport,
  SessionsOptions,
  StorageStats,
} from './storage/storage.js';
export { Storage } from './storage/storage.js';
export type {
  IntegrityCheckPolicy,
  MaintenanceOptions,
  StorageOptions,
  StorageSettings,
} from './storage/storage-options.js';
export { DEFAULT_MAINTENANCE } from './storage/storage-options.js';
export type { BatchWriterOptions, RowStats, WriterStats } from './writer/batch-writer.js';
export { DEFAULT_WRITER_OPTIONS } from './writer/batch-writer.js';
