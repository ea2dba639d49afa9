import { z } from 'zod';
import { EventStream, type EventStreamOptions } from './events/event-stream.js';
import { type RequestOptions, request, type Transport } from './http/request.js';
import {
  type HistoryResponse,
  HistoryResponseSchema,
  type SessionsResponse,
  SessionsResponseSchema,
} from './schemas/history.js';
import { type LogsResponse, LogsResponseSchema } from './schemas/logs.js';
import {
  type CreateMinerBody,
  type MinerDto,
  MinerListSchema,
  MinerSchema,
  type PatchMinerBody,
} from './schemas/miner.js';
import { type SampleDto, SampleSchema } from './schemas/sample.js';
import {
  AdapterListSchema,
  HealthSchema,
  MemorySchema,
  MonitorResponseSchema,
  ReadySchema,
} from './schemas/system.js';
import type { AdapterInfo, HealthDto, MemoryDto, MonitorResponse, ReadyDto } from './types.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** Where the server listens, e.g. `http://127.0.0.1:7420` (a path prefix is kept). */
  baseUrl: string | URL;
  /** API token (`<dataDir>/api-token`); needed for control calls and the event stream. */
  token?: string | undefined;
  /** A `fetch` to use instead of the global one (tests, proxies, custom dispatchers). */
  fetch?: typeof globalThis.fetch | undefined;
  /** Limit of each call, body included. Default 30 000 ms. */
  timeoutMs?: number | undefined;
  /** Largest answer accepted. Default 16 MiB. */
  maxResponseBytes?: number | undefined;
}

/** A time for history queries: ms since the epoch or a `Date`. */
export type TimeInput = number | Date;

export interface HistoryQuery {
  /** Start of the range. Default: 24 h before `to`. */
  from?: TimeInput | undefined;
  /** End of the range. Default: now. */
  to?: TimeInput | undefined;
  /** At most this many points (1…5000); the server averages to fit. Default 500. */
  maxPoints?: number | undefined;
}

export interface SessionsQuery {
  /** Page size, 1…200. Default 50. */
  limit?: number | undefined;
  /** Only sessions that started before this (the previous page's `nextBefore`). */
  before?: TimeInput | undefined;
}

export interface LogsQuery {
  /** The last `tail` lines (1…1000). Default 100. */
  tail?: number | undefined;
  /** Only lines with `seq` greater than this (a previous answer's `lastSeq`). */
  since?: number | undefined;
}

/** One typed method per route of the Rigkit server, plus the event stream. */
export interface RigkitClient {
  /** The server's base URL. */
  readonly baseUrl: URL;
  /** `GET /miners` */
  listMiners(options?: RequestOptions): Promise<MinerDto[]>;
  /** `GET /miners/:id` */
  getMiner(id: string, options?: RequestOptions): Promise<MinerDto>;
  /** `POST /miners` (token) */
  createMiner(body: CreateMinerBody, options?: RequestOptions): Promise<MinerDto>;
  /** `PATCH /miners/:id` (token) */
  updateMiner(id: string, patch: PatchMinerBody, options?: RequestOptions): Promise<MinerDto>;
  /** `DELETE /miners/:id` (token) */
  removeMiner(id: string, options?: RequestOptions): Promise<void>;
  /** `POST /miners/:id/start` (token): resolves once the miner is running. */
  startMiner(id: string, options?: RequestOptions): Promise<MinerDto>;
  /** `POST /miners/:id/stop` (token) */
  stopMiner(id: string, options?: RequestOptions): Promise<MinerDto>;
  /** `POST /miners/:id/restart` (token) */
  restartMiner(id: string, options?: RequestOptions): Promise<MinerDto>;
  /** `GET /miners/:id/sample`: a fresh reading. */
  sample(id: string, options?: RequestOptions): Promise<SampleDto>;
  /** `GET /miners/:id/history` */
  history(id: string, query?: HistoryQuery, options?: RequestOptions): Promise<HistoryResponse>;
  /** `GET /miners/:id/sessions` */
  sessions(id: string, query?: SessionsQuery, options?: RequestOptions): Promise<SessionsResponse>;
  /** `GET /miners/:id/logs` */
  logs(id: string, query?: LogsQuery, options?: RequestOptions): Promise<LogsResponse>;
  /** `POST /miners/:id/stdin` (token) */
  writeStdin(id: string, input: string, options?: RequestOptions): Promise<void>;
  /** `GET /adapters` */
  adapters(options?: RequestOptions): Promise<AdapterInfo[]>;
  /** `GET /system/memory` */
  memory(options?: RequestOptions): Promise<MemoryDto>;
  /** `GET /system/monitor` */
  monitor(options?: RequestOptions): Promise<MonitorResponse>;
  /** `POST /system/gc` (token; server must run with `--expose-gc`) */
  gc(options?: RequestOptions): Promise<MemoryDto>;
  /** `GET /health` */
  health(options?: RequestOptions): Promise<HealthDto>;
  /** `GET /ready`: `ready: false` (HTTP 503) is an answer, not an error. */
  ready(options?: RequestOptions): Promise<ReadyDto>;
  /** `GET /openapi.json`: the OpenAPI 3.1 document. */
  openapi(options?: RequestOptions): Promise<Record<string, unknown>>;
  /** `GET /metrics` (server root): Prometheus text. */
  metrics(options?: RequestOptions): Promise<string>;
  /** `WS /events`: a reconnecting event stream. Close it (or abort its signal) when done. */
  events(options: EventStreamOptions): EventStream;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

const OpenApiSchema = z.record(z.string(), z.unknown());
const TextSchema = z.string();

function ms(value: TimeInput | undefined): number | undefined {
  return value instanceof Date ? value.getTime() : value;
}

/**
 * A typed client for the Rigkit server. Every answer is parsed with the same zod schemas the
 * server validates against; every failure is a {@link RigkitClientError} with a stable `code`.
 *
 * @example
 * ```ts
 * const client = createClient({ baseUrl: 'http://127.0.0.1:7420', token });
 * for (const miner of await client.listMiners()) console.log(miner.id, miner.state);
 * ```
 */
export function createClient(options: ClientOptions): RigkitClient {
  const baseUrl = new URL(options.baseUrl);
  if (baseUrl.protocol !== 'http:' && baseUrl.protocol !== 'https:') {
    throw new TypeError(`baseUrl must be an http(s) URL, got ${baseUrl.protocol}`);
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const transport: Transport = {
    baseUrl,
    token: options.token,
    fetch: fetchImpl,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
  };
  const miner = (id: string, ...rest: string[]) => ['miners', id, ...rest];

  return {
    baseUrl,
    listMiners: async (o) =>
      (
        await request(
          transport,
          { method: 'GET', segments: ['miners'], schema: MinerListSchema },
          o,
        )
      ).miners,
    getMiner: (id, o) =>
      request(transport, { method: 'GET', segments: miner(id), schema: MinerSchema }, o),
    createMiner: (body, o) =>
      request(transport, { method: 'POST', segments: ['miners'], body, schema: MinerSchema }, o),
    updateMiner: (id, patch, o) =>
      request(
        transport,
        { method: 'PATCH', segments: miner(id), body: patch, schema: MinerSchema },
        o,
      ),
    removeMiner: (id, o) =>
      request(transport, { method: 'DELETE', segments: miner(id), schema: undefined }, o),
    startMiner: (id, o) =>
      request(transport, { method: 'POST', segments: miner(id, 'start'), schema: MinerSchema }, o),
    stopMiner: (id, o) =>
      request(transport, { method: 'POST', segments: miner(id, 'stop'), schema: MinerSchema }, o),
    restartMiner: (id, o) =>
      request(
        transport,
        { method: 'POST', segments: miner(id, 'restart'), schema: MinerSchema },
        o,
      ),
    sample: (id, o) =>
      request(transport, { method: 'GET', segments: miner(id, 'sample'), schema: SampleSchema }, o),
    history: (id, q = {}, o) =>
      request(
        transport,
        {
          method: 'GET',
          segments: miner(id, 'history'),
          query: { from: ms(q.from), to: ms(q.to), maxPoints: q.maxPoints },
          schema: HistoryResponseSchema,
        },
        o,
      ),
    sessions: (id, q = {}, o) =>
      request(
        transport,
        {
          method: 'GET',
          segments: miner(id, 'sessions'),
          query: { limit: q.limit, before: ms(q.before) },
          schema: SessionsResponseSchema,
        },
        o,
      ),
    logs: (id, q = {}, o) =>
      request(
        transport,
        {
          method: 'GET',
          segments: miner(id, 'logs'),
          query: { tail: q.tail, since: q.since },
          schema: LogsResponseSchema,
        },
        o,
      ),
    writeStdin: (id, input, o) =>
      request(
        transport,
        { method: 'POST', segments: miner(id, 'stdin'), body: { input }, schema: undefined },
        o,
      ),
    adapters: async (o) =>
      (
        await request(
          transport,
          { method: 'GET', segments: ['adapters'], schema: AdapterListSchema },
          o,
        )
      ).adapters,
    memory: (o) =>
      request(
        transport,
        { method: 'GET', segments: ['system', 'memory'], schema: MemorySchema },
        o,
      ),
    monitor: (o) =>
      request(
        transport,
        { method: 'GET', segments: ['system', 'monitor'], schema: MonitorResponseSchema },
        o,
      ),
    gc: (o) =>
      request(transport, { method: 'POST', segments: ['system', 'gc'], schema: MemorySchema }, o),
    health: (o) =>
      request(transport, { method: 'GET', segments: ['health'], schema: HealthSchema }, o),
    ready: (o) =>
      request(
        transport,
        { method: 'GET', segments: ['ready'], schema: ReadySchema, okStatuses: [200, 503] },
        o,
      ),
    openapi: (o) =>
      request(transport, { method: 'GET', segments: ['openapi.json'], schema: OpenApiSchema }, o),
    metrics: (o) =>
      request(
        transport,
        { method: 'GET', rootPath: '/metrics', schema: TextSchema, text: true },
        o,
      ),
    events: (eventOptions) =>
      new EventStream(
        { baseUrl, token: options.token, connectTimeoutMs: transport.timeoutMs },
        eventOptions,
      ),
  };
}
