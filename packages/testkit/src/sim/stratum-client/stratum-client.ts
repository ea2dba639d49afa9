import { connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { NdjsonSplitter } from '@rigkit/core';
import { StratumClientError } from './stratum-client-error.js';

/** Options of {@link connectStratumClient}. */
export interface ConnectStratumClientOptions {
  host: string;
  port: number;
  /** Longest line accepted from the server; a longer one closes the connection. Default 64 KiB. */
  maxLineBytes?: number;
  /** Default 10 000 ms. */
  connectTimeoutMs?: number;
  /** `true` or `node:tls` options for a TLS connection. Default plain TCP. */
  tls?: boolean | ConnectionOptions;
  /**
   * Put `"jsonrpc":"2.0"` in every request, as xmrig does (the CryptoNote dialect). Stratum V1
   * miners (cgminer) leave it out. Default false.
   */
  jsonrpc?: boolean;
  /** Most requests waiting for a reply; more are refused with `E_STRATUM_CLIENT_PENDING_LIMIT`. Default 1024. */
  maxPending?: number;
  /** Most bytes queued for a server that does not read. Default 1 MiB. */
  maxWriteBufferBytes?: number;
}

/** Options of one {@link StratumClient.request}. */
export interface StratumRequestOptions {
  /** Reject with `E_STRATUM_CLIENT_TIMEOUT` when no reply came within this. Default: wait forever. */
  timeoutMs?: number;
}

/** A reply, as the server sent it (`jsonrpc` and any other keys included). */
export interface StratumReply {
  id: number;
  /** The result, `null` or absent on an error. */
  result?: unknown;
  /** `null` or absent on success; `{ code, message }` (CryptoNote) or `[code, message, data]` (V1). */
  error?: unknown;
  [key: string]: unknown;
}

/** A message from the server with a `method`: a notification (`id` null or absent) or a server request. */
export interface StratumNotification {
  id?: unknown;
  method: string;
  params?: unknown;
  [key: string]: unknown;
}

/** Why a connection closed: `close()`, the peer, a socket error, or a line over `maxLineBytes`. */
export type StratumCloseReason = 'client' | 'peer' | 'error' | 'line-too-long';

/** What {@link StratumClient.closed} resolves with. */
export interface StratumClientClosed {
  reason: StratumCloseReason;
  hadError: boolean;
  /** The socket error, when there was one. */
  error?: Error;
}

/** Counters of one {@link StratumClient}. */
export interface StratumClientCounters {
  requests: number;
  replies: number;
  /** Replies whose id matched no waiting request (late after a timeout, or a server bug). */
  unknownReplies: number;
  notifications: number;
  /** Lines that were not a JSON object; they are dropped. */
  invalidLines: number;
}

/** Receives every message with a `method`. */
export type StratumNotificationListener = (notification: StratumNotification) => void;

const MAX_LISTENERS = 64;

class PendingRequest {
  constructor(
    readonly method: string,
    /** `Date.now()` after which it times out; 0 = never. */
    readonly deadline: number,
    readonly resolve: (reply: StratumReply) => void,
    readonly reject: (error: StratumClientError) => void,
  ) {}
}

/**
 * A reference stratum client for either dialect: newline-delimited JSON-RPC over one TCP (or
 * TLS) connection, requests with incrementing integer ids matched to replies in any order,
 * notifications to listeners. Dialect helpers (`CryptoNoteClient`, `BitcoinStratumClient`) sit
 * on top of it.
 *
 * Built for a load generator that keeps 10 000 of them in one process: no timer at all unless
 * a request asks for a timeout, and then one per client (armed for the earliest deadline, swept
 * when it fires) rather than one per request; the pending map is created on first use; requests
 * written in one tick leave in one `writev` (the socket is corked until the next tick);
 * {@link requestRaw} skips serialising params the caller already has as JSON text.
 *
 * Made by {@link connectStratumClient}; the constructor takes a connected socket.
 */
export class StratumClient {
  /** Resolves once the socket is closed, for whatever reason. Never rejects. */
  readonly closed: Promise<StratumClientClosed>;
  readonly #socket: Socket;
  readonly #splitter: NdjsonSplitter;
  readonly #prefix: string;
  readonly #maxPending: number;
  readonly #maxWriteBuffer: number;
  #resolveClosed!: (closed: StratumClientClosed) => void;
  #pending: Map<number, PendingRequest> | undefined;
  #listeners: Set<StratumNotificationListener> | undefined;
  #nextId = 1;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #timed = 0;
  #corked = false;
  #reason: StratumCloseReason | undefined;
  #error: Error | undefined;
  #isClosed = false;
  #counters: StratumClientCounters = {
    requests: 0,
    replies: 0,
    unknownReplies: 0,
    notifications: 0,
    invalidLines: 0,
  };

  constructor(
    socket: Socket,
    options: Pick<
      ConnectStratumClientOptions,
      'maxLineBytes' | 'jsonrpc' | 'maxPending' | 'maxWriteBufferBytes'
    > = {},
  ) {
    this.#socket = socket;
    this.#prefix = options.jsonrpc ? ',"jsonrpc":"2.0","method":' : ',"method":';
    this.#maxPending = options.maxPending ?? 1024;
    this.#maxWriteBuffer = options.maxWriteBufferBytes ?? 1024 * 1024;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#splitter = new NdjsonSplitter(
      options.maxLineBytes ?? 64 * 1024,
      (line) => this.#onLine(line),
      () => {
        this.#reason ??= 'line-too-long';
        socket.destroy();
      },
    );
    socket.on('data', (chunk: Buffer) => this.#splitter.push(chunk));
    socket.on('error', (error) => {
      this.#error ??= error;
    });
    socket.on('close', (hadError) => this.#onClose(hadError));
  }

  /** Requests waiting for a reply. */
  get pendingCount(): number {
    return this.#pending?.size ?? 0;
  }

  /** A copy of the counters. */
  get counters(): StratumClientCounters {
    return { ...this.#counters };
  }

  /**
   * Sends `{"id":<n>,["jsonrpc":"2.0",]"method":…,"params":…}` and resolves with the reply,
   * error replies included (look at `error`). Rejects with a {@link StratumClientError} when the
   * connection closes first, the timeout passes, or too many requests are pending.
   */
  request(method: string, params: unknown, options?: StratumRequestOptions): Promise<StratumReply> {
    return this.requestRaw(method, JSON.stringify(params), options);
  }

  /**
   * {@link request} with `params` already serialised (`paramsJson` is written as is): a load
   * generator builds its params text without an object per share.
   */
  requestRaw(
    method: string,
    paramsJson: string,
    options?: StratumRequestOptions,
  ): Promise<StratumReply> {
    if (this.#reason !== undefined || this.#isClosed) {
      return Promise.reject(
        new StratumClientError('E_STRATUM_CLIENT_CLOSED', `${method}: the connection is closed`, {
          details: { method },
        }),
      );
    }
    this.#pending ??= new Map();
    if (this.#pending.size >= this.#maxPending) {
      return Promise.reject(
        new StratumClientError(
          'E_STRATUM_CLIENT_PENDING_LIMIT',
          `${method}: ${this.#maxPending} requests already wait for replies`,
          { details: { method, maxPending: this.#maxPending } },
        ),
      );
    }
    if (this.#socket.writableLength > this.#maxWriteBuffer) {
      return Promise.reject(this.#backpressure(method));
    }
    const id = this.#nextId++;
    const timeoutMs = options?.timeoutMs;
    const deadline = timeoutMs === undefined ? 0 : Date.now() + timeoutMs;
    const pending = this.#pending;
    const promise = new Promise<StratumReply>((resolve, reject) => {
      pending.set(id, new PendingRequest(method, deadline, resolve, reject));
    });
    if (deadline !== 0) {
      this.#timed += 1;
      if (deadline < this.#timerAt) this.#arm(deadline);
    }
    this.#counters.requests += 1;
    this.#write(`{"id":${id}${this.#prefix}${JSON.stringify(method)},"params":${paramsJson}}\n`);
    return promise;
  }

  /**
   * Writes `line` exactly as given (add the `\n` yourself): for tests that need malformed,
   * split or concatenated messages. Throws {@link StratumClientError} once closed.
   */
  send(line: string | Uint8Array): void {
    if (this.#reason !== undefined || this.#isClosed) {
      throw new StratumClientError('E_STRATUM_CLIENT_CLOSED', 'send: the connection is closed');
    }
    if (this.#socket.writableLength > this.#maxWriteBuffer) throw this.#backpressure('send');
    this.#write(line);
  }

  /**
   * Calls `listener` for every message with a `method`, synchronously as lines arrive (it must
   * not throw). At most 64 listeners. Returns its disposer.
   */
  onNotification(listener: StratumNotificationListener): () => void {
    this.#listeners ??= new Set();
    if (this.#listeners.size >= MAX_LISTENERS) {
      throw new StratumClientError(
        'E_LISTENER_LIMIT',
        `a stratum client takes at most ${MAX_LISTENERS} notification listeners`,
      );
    }
    this.#listeners.add(listener);
    return () => {
      this.#listeners?.delete(listener);
    };
  }

  /**
   * Ends and destroys the connection; pending requests reject with `E_STRATUM_CLIENT_CLOSED`.
   * Idempotent. Resolves like {@link closed}.
   */
  close(): Promise<StratumClientClosed> {
    if (this.#reason === undefined && !this.#isClosed) {
      this.#reason = 'client';
      this.#rejectAll();
      this.#socket.end();
      this.#socket.destroy();
    }
    return this.closed;
  }

  #write(data: string | Uint8Array): void {
    if (!this.#corked) {
      // Everything written in this tick goes out in one writev.
      this.#corked = true;
      this.#socket.cork();
      process.nextTick(StratumClient.#uncork, this);
    }
    this.#socket.write(data);
  }

  static #uncork(client: StratumClient): void {
    client.#corked = false;
    client.#socket.uncork();
  }

  #onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.#counters.invalidLines += 1;
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.#counters.invalidLines += 1;
      return;
    }
    const record = message as Record<string, unknown>;
    if (typeof record.method === 'string') {
      this.#counters.notifications += 1;
      if (this.#listeners) {
        for (const listener of this.#listeners) listener(record as StratumNotification);
      }
      return;
    }
    const id = record.id;
    const pending = typeof id === 'number' ? this.#pending?.get(id) : undefined;
    if (pending === undefined) {
      this.#counters.unknownReplies += 1;
      return;
    }
    this.#pending?.delete(id as number);
    this.#counters.replies += 1;
    if (pending.deadline !== 0) this.#untime();
    pending.resolve(record as StratumReply);
  }

  /** One timed request is gone; with none left the timer goes too. */
  #untime(): void {
    this.#timed -= 1;
    if (this.#timed === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#timerAt = Number.POSITIVE_INFINITY;
    }
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(StratumClient.#sweep, Math.max(0, at - Date.now()), this);
  }

  /** The timer fired: rejects expired requests and re-arms for the next deadline. */
  static #sweep(client: StratumClient): void {
    client.#sweepTimeouts();
  }

  #sweepTimeouts(): void {
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    const pending = this.#pending;
    if (!pending) return;
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [id, request] of pending) {
      if (request.deadline === 0) continue;
      if (request.deadline <= now) {
        pending.delete(id);
        this.#timed -= 1;
        request.reject(
          new StratumClientError(
            'E_STRATUM_CLIENT_TIMEOUT',
            `${request.method}: no reply within the timeout`,
            { details: { method: request.method, id } },
          ),
        );
      } else if (request.deadline < next) {
        next = request.deadline;
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.#arm(next);
  }

  #backpressure(method: string): StratumClientError {
    return new StratumClientError(
      'E_STRATUM_CLIENT_BACKPRESSURE',
      `${method}: more than ${this.#maxWriteBuffer} bytes wait to be sent`,
      { details: { method, maxWriteBufferBytes: this.#maxWriteBuffer } },
    );
  }

  #rejectAll(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
    this.#timed = 0;
    const pending = this.#pending;
    if (!pending || pending.size === 0) return;
    this.#pending = undefined;
    const reason = this.#reason ?? 'peer';
    for (const [id, request] of pending) {
      request.reject(
        new StratumClientError(
          'E_STRATUM_CLIENT_CLOSED',
          `${request.method}: the connection closed (${reason}) before the reply`,
          { details: { method: request.method, id, reason } },
        ),
      );
    }
  }

  #onClose(hadError: boolean): void {
    this.#isClosed = true;
    this.#reason ??= this.#error ? 'error' : 'peer';
    this.#rejectAll();
    this.#listeners = undefined;
    this.#resolveClosed(
      this.#error
        ? { reason: this.#reason, hadError: true, error: this.#error }
        : { reason: this.#reason, hadError },
    );
  }
}

/**
 * Connects and resolves with a {@link StratumClient} once TCP (or TLS) is up. Rejects with
 * `E_STRATUM_CLIENT_CONNECT` when the connection fails or `connectTimeoutMs` passes; the
 * socket is destroyed on every failure path.
 */
export function connectStratumClient(options: ConnectStratumClientOptions): Promise<StratumClient> {
  const { host, port } = options;
  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const socket: Socket = options.tls
      ? tlsConnect({ host, port, ...(typeof options.tls === 'object' ? options.tls : {}) })
      : netConnect({ host, port });
    const ready = options.tls ? 'secureConnect' : 'connect';
    const done = () => {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off(ready, onReady);
    };
    const fail = (message: string, cause?: unknown) => {
      done();
      socket.destroy();
      reject(
        new StratumClientError('E_STRATUM_CLIENT_CONNECT', message, {
          cause,
          details: { host, port },
        }),
      );
    };
    const onError = (error: Error) =>
      fail(`cannot connect to ${host}:${port}: ${error.message}`, error);
    const onReady = () => {
      done();
      socket.setNoDelay(true);
      resolve(new StratumClient(socket, options));
    };
    const timer = setTimeout(
      () => fail(`cannot connect to ${host}:${port}: no connection within ${timeoutMs} ms`),
      timeoutMs,
    );
    socket.once('error', onError);
    socket.once(ready, onReady);
  });
}
