export { API_PREFIX, apiUrl } from './api-url.js';
export type {
  ClientOptions,
  HistoryQuery,
  LogsQuery,
  RigkitClient,
  SessionsQuery,
  TimeInput,
} from './client.js';
export { createClient } from './client.js';
export type {
  ClientErrorCode,
  ClientOwnErrorCode,
  RigkitClientErrorOptions,
} from './errors.js';
export { isRigkitClientError, RigkitClientError } from './errors.js';
export type { ReconnectOptions } from './events/backoff.js';
export { backoffDelay } from './events/backoff.js';
export type {
  EventFilter,
  EventStreamConnection,
  EventStreamOptions,
  EventStreamStatus,
  RigkitEventMessage,
} from './events/event-stream.js';
export { EventStream } from './events/event-stream.js';
export type { RequestOptions } from './http/request.js';
export * from './schemas/common.js';
export * from './schemas/events.js';
export * from './schemas/history.js';
export * from './schemas/logs.js';
export * from './schemas/miner.js';
export * from './schemas/sample.js';
export * from './schemas/system.js';
export type * from './types.js';
