import type { IncomingMessage } from 'node:http';
import type { RigkitEvents } from '@rigkit/core';
import WebSocket from 'ws';
import { apiUrl } from '../api-url.js';
import { RigkitClientError } from '../errors.js';
import { ErrorEnvelopeSchema } from '../schemas/common.js';
import type { EventType } from '../schemas/events.js';
import { backoffDelay, type ReconnectOptions } from './backoff.js';

/**
 * One event from the server, typed by its `event` name. `data` is what the server sent as JSON:
 * the envelope is checked, the payload is passed through as the server's event types describe it.
 */
export type RigkitEventMessage = {
  [K in EventType]: {
    type: 'event';
    event: K;
    data: K extends keyof RigkitEvents ? RigkitEvents[K] : Record<string, unknown>;
  };
}[EventType];

/** Which events a stream receives. Empty or omitted lists mean "all". */
export interface EventFilter {
  miners?: readonly string[] | undefined;
  events?: readonly EventType[] | undefined;
}

/** What the stream reports through `onStatus`. */
export type EventStreamStatus =
  | { state: 'connecting'; attempt: number }
  /** The server confirmed the filter; after a reconnect `reconnected` is true (events may have been missed). */
  | { state: 'subscribed'; miners: string[]; events: string[]; reconnected: boolean }
  /** The server answered a message with an error; the connection stays open. */
  | { state: 'server-error'; error: RigkitClientError }
  /** The connection ended; a reconnect is scheduled in `retryInMs`. */
  | {
      state: 'disconnected';
      error: RigkitClientError | undefined;
      closeCode: number | undefined;
      attempt: number;
      retryInMs: number;
    }
  /** Final: after `close()`, an aborted signal, an auth failure or `maxAttempts`. */
  | { state: 'closed'; error: RigkitClientError | undefined };

/** Options of {@link EventStream}, as passed to `client.events()`. */
export interface EventStreamOptions extends EventFilter {
  onEvent: (event: RigkitEventMessage) => void;
  onStatus?: (status: EventStreamStatus) => void;
  /** Aborting it closes the stream, like `close()`. */
  signal?: AbortSignal | undefined;
  /** Backoff between reconnects; `false` closes the stream on the first disconnect. */
  reconnect?: ReconnectOptions | false | undefined;
  /**
   * A connection with no message and no ping for this long counts as dead and is replaced.
   * The server pings every 30 s by default. Default 75 000 ms.
   */
  heartbeatTimeoutMs?: number | undefined;
  /** Limit of the WebSocket handshake. Default: the client's `timeoutMs`. */
  connectTimeoutMs?: number | undefined;
}

/** Connection settings the client passes in. */
export interface EventStreamConnection {
  baseUrl: URL;
  token: string | undefined;
  connectTimeoutMs: number;
}

/** Largest frame accepted from the server. */
const MAX_FRAME_BYTES = 1024 * 1024;
/** Largest handshake error body read. */
const MAX_ERROR_BODY_BYTES = 16 * 1024;
/** How long `close()` waits for the closing handshake before dropping the socket. */
const CLOSE_GRACE_MS = 1000;

/**
 * The server's event stream (`/api/v1/events`) over `ws`, kept alive: it reconnects with
 * exponential backoff and jitter, re-sends the current filter after every reconnect, replaces
 * a connection whose heartbeat stopped, and stops for good after {@link close}, an aborted
 * signal, or an answer that retrying cannot fix (401, 403, other 4xx).
 *
 * Every timer and socket it creates is released by the time {@link closed} resolves.
 */
export class EventStream {
  readonly #connection: EventStreamConnection;
  readonly #options: EventStreamOptions;
  readonly #reconnect: ReconnectOptions | false;
  readonly #heartbeatMs: number;
  #filter: { miners: string[]; events: EventType[] };
  #socket: WebSocket | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #closeTimer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #everSubscribed = false;
  #subscribed = false;
  #closing = false;
  #final = false;
  #finalError: RigkitClientError | undefined;
  #resolveClosed!: () => void;
  #waiters: { resolve: () => void; reject: (error: Error) => void }[] = [];
  readonly #onAbort = () => {
    void this.close();
  };

  /** Resolves once the stream is closed for good and holds no socket or timer. */
  readonly closed: Promise<void>;

  constructor(connection: EventStreamConnection, options: EventStreamOptions) {
    this.#connection = connection;
    this.#options = options;
    this.#reconnect = options.reconnect ?? {};
    this.#heartbeatMs = options.heartbeatTimeoutMs ?? 75_000;
    this.#filter = normalizeFilter(options);
    this.closed = new Promise<void>((resolve) => {
      this.#resolveClosed = resolve;
    });
    // Start on the next microtask, so callbacks never run before the caller holds the stream.
    queueMicrotask(() => {
      if (this.#closing || this.#final) return;
      if (options.signal?.aborted) {
        this.#finish(undefined);
        return;
      }
      options.signal?.addEventListener('abort', this.#onAbort, { once: true });
      this.#connect();
    });
  }

  /** `connecting`, `subscribed`, `reconnecting` (waiting or re-connecting) or `closed`. */
  get state(): 'connecting' | 'subscribed' | 'reconnecting' | 'closed' {
    if (this.#final) return 'closed';
    if (this.#subscribed) return 'subscribed';
    return this.#everSubscribed || this.#attempt > 0 ? 'reconnecting' : 'connecting';
  }

  /** The error that ended the stream, if one did. */
  get error(): RigkitClientError | undefined {
    return this.#finalError;
  }

  /** The current filter (the one re-sent after reconnects). */
  get filter(): { miners: readonly string[]; events: readonly EventType[] } {
    return this.#filter;
  }

  /**
   * Resolves when the server has confirmed the current filter (at once if it already has);
   * rejects if the stream closes first.
   */
  subscribed(): Promise<void> {
    if (this.#subscribed) return Promise.resolve();
    if (this.#final) {
      return Promise.reject(
        this.#finalError ?? new RigkitClientError('E_ABORTED', 'the event stream is closed'),
      );
    }
    return new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Replaces the filter; it is sent now if connected, and after every reconnect. */
  subscribe(filter: EventFilter): void {
    this.#filter = normalizeFilter(filter);
    this.#subscribed = false;
    this.#sendFilter();
  }

  /** Closes the stream for good. Idempotent; resolves like {@link closed}. */
  close(): Promise<void> {
    if (this.#closing || this.#final) return this.closed;
    this.#closing = true;
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const socket = this.#socket;
    if (socket === undefined) {
      this.#finish(undefined);
    } else if (socket.readyState === WebSocket.OPEN) {
      socket.close(1000, 'client closing');
      this.#closeTimer = setTimeout(() => socket.terminate(), CLOSE_GRACE_MS);
    } else {
      socket.terminate();
    }
    return this.closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #connect(): void {
    this.#status({ state: 'connecting', attempt: this.#attempt });
    const url = apiUrl(this.#connection.baseUrl, ['events']);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const headers: Record<string, string> = {};
    if (this.#connection.token) headers.authorization = `Bearer ${this.#connection.token}`;
    const socket = new WebSocket(url, {
      headers,
      handshakeTimeout: this.#options.connectTimeoutMs ?? this.#connection.connectTimeoutMs,
      maxPayload: MAX_FRAME_BYTES,
      perMessageDeflate: false,
      followRedirects: false,
    });
    this.#socket = socket;
    let failure: RigkitClientError | undefined;
    let fatal = false;

    socket.on('unexpected-response', (request, response: IncomingMessage) => {
      const status = response.statusCode ?? 0;
      fatal = status >= 400 && status < 500 && status !== 408 && status !== 429;
      readErrorBody(response).then((text) => {
        failure = handshakeError(status, text);
        request.destroy();
        socket.terminate();
      });
    });
    socket.on('open', () => {
      this.#heartbeat = setTimeout(() => {
        failure = new RigkitClientError(
          'E_HEARTBEAT_TIMEOUT',
          `no message or ping from the server for ${this.#heartbeatMs} ms`,
        );
        socket.terminate();
      }, this.#heartbeatMs);
      this.#sendFilter();
    });
    socket.on('ping', () => this.#heartbeat?.refresh());
    socket.on('pong', () => this.#heartbeat?.refresh());
    socket.on('message', (data, isBinary) => {
      this.#heartbeat?.refresh();
      if (!isBinary) this.#onMessage(String(data));
    });
    socket.on('error', (error: Error & { code?: string }) => {
      failure ??= new RigkitClientError(
        'E_SERVER_UNREACHABLE',
        `event stream: ${error.message}${error.code ? ` (${error.code})` : ''}`,
        { cause: error, details: { url: url.origin } },
      );
    });
    socket.on('close', (code: number) => {
      clearTimeout(this.#heartbeat);
      clearTimeout(this.#closeTimer);
      this.#heartbeat = undefined;
      this.#closeTimer = undefined;
      this.#socket = undefined;
      this.#subscribed = false;
      socket.removeAllListeners();
      // ws emits later errors on a socket with no listener as uncaught: keep one.
      socket.on('error', () => {});
      if (this.#closing) {
        this.#finish(undefined);
        return;
      }
      const closeCode = code === 1005 || code === 1006 ? undefined : code;
      if (fatal || this.#reconnect === false) {
        this.#finish(failure);
        return;
      }
      const maxAttempts = this.#reconnect.maxAttempts ?? Number.POSITIVE_INFINITY;
      if (this.#attempt >= maxAttempts) {
        this.#finish(
          failure ??
            new RigkitClientError(
              'E_SERVER_UNREACHABLE',
              `event stream: gave up after ${this.#attempt} reconnect attempts`,
            ),
        );
        return;
      }
      const retryInMs = backoffDelay(this.#attempt, this.#reconnect);
      this.#attempt += 1;
      this.#status({
        state: 'disconnected',
        error: failure,
        closeCode,
        attempt: this.#attempt,
        retryInMs,
      });
      if (this.#closing || this.#final) return; // closed from inside onStatus
      this.#retryTimer = setTimeout(() => {
        this.#retryTimer = undefined;
        this.#connect();
      }, retryInMs);
    });
  }

  #sendFilter(): void {
    const socket = this.#socket;
    if (socket?.readyState !== WebSocket.OPEN) return;
    const message: Record<string, unknown> = { type: 'subscribe' };
    if (this.#filter.miners.length > 0) message.miners = this.#filter.miners;
    if (this.#filter.events.length > 0) message.events = this.#filter.events;
    socket.send(JSON.stringify(message));
  }

  #onMessage(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return; // not ours to interpret; the server only sends JSON
    }
    if (typeof message !== 'object' || message === null) return;
    const m = message as Record<string, unknown>;
    if (m.type === 'event') {
      if (typeof m.event !== 'string' || typeof m.data !== 'object' || m.data === null) return;
      this.#options.onEvent(message as RigkitEventMessage);
      return;
    }
    if (m.type === 'subscribed') {
      this.#subscribed = true;
      const reconnected = this.#everSubscribed;
      this.#everSubscribed = true;
      this.#attempt = 0;
      this.#status({
        state: 'subscribed',
        miners: stringArray(m.miners),
        events: stringArray(m.events),
        reconnected,
      });
      for (const waiter of this.#waiters.splice(0)) waiter.resolve();
      return;
    }
    if (m.type === 'error') {
      this.#status({
        state: 'server-error',
        error: new RigkitClientError(
          typeof m.code === 'string' ? m.code : 'E_CLIENT_RESPONSE',
          typeof m.message === 'string' ? m.message : 'the event stream reported an error',
        ),
      });
    }
  }

  #finish(error: RigkitClientError | undefined): void {
    if (this.#final) return;
    this.#final = true;
    this.#closing = true;
    this.#finalError = error;
    clearTimeout(this.#retryTimer);
    this.#options.signal?.removeEventListener('abort', this.#onAbort);
    const reason = error ?? new RigkitClientError('E_ABORTED', 'the event stream was closed');
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
    this.#status({ state: 'closed', error });
    this.#resolveClosed();
  }

  #status(status: EventStreamStatus): void {
    try {
      this.#options.onStatus?.(status);
    } catch {
      // A throwing status listener must not break the connection logic.
    }
  }
}

function normalizeFilter(filter: EventFilter): { miners: string[]; events: EventType[] } {
  return { miners: [...(filter.miners ?? [])], events: [...(filter.events ?? [])] };
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Reads at most {@link MAX_ERROR_BODY_BYTES} of a rejected handshake's body. */
function readErrorBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    response.on('data', (chunk: Buffer) => {
      if (size < MAX_ERROR_BODY_BYTES) chunks.push(chunk.subarray(0, MAX_ERROR_BODY_BYTES - size));
      size += chunk.length;
      if (size >= MAX_ERROR_BODY_BYTES) done();
    });
    response.on('end', done);
    response.on('error', done);
    response.on('close', done);
  });
}

function handshakeError(status: number, text: string): RigkitClientError {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const envelope = ErrorEnvelopeSchema.safeParse(json);
  if (envelope.success) {
    const { code, message, details } = envelope.data.error;
    return new RigkitClientError(code, `event stream: ${message}`, { status, details });
  }
  const code = status === 401 ? 'E_UNAUTHORIZED' : 'E_CLIENT_RESPONSE';
  return new RigkitClientError(code, `event stream: the server answered HTTP ${status}`, {
    status,
  });
}
