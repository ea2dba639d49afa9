import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import { NdjsonSplitter } from '@rigkit/core';
import { StratumProtocolError, UpstreamUnavailableError } from '../errors.js';
import { type JsonRpcMessage, parseJsonRpcLine } from '../wire/json-rpc.js';

/** Where an upstream connection goes. */
export interface UpstreamTarget {
  host: string;
  port: number;
  tls: boolean;
  tlsRejectUnauthorized: boolean;
  /** `host:port` for logs and events (never credentials). */
  display: string;
}

/** Options of an {@link UpstreamConnection}. */
export interface UpstreamConnectionOptions {
  target: UpstreamTarget;
  maxLineBytes: number;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** Requests awaiting a reply; beyond it `request` refuses. */
  maxPending: number;
  /** Pool-initiated messages (`job`, `mining.notify`, …). */
  onNotification(message: JsonRpcMessage): void;
  /** The connection ended (once, also after a failed connect). */
  onClose(reason: string): void;
  now?: () => number;
}

/** Receives the reply to one request, or `undefined` with a reason when none will come. */
export type ReplyHandler = (reply: JsonRpcMessage | undefined, failure?: string) => void;

interface Pending {
  sentAt: number;
  onReply: ReplyHandler;
}

/**
 * One connection to a pool: newline-delimited JSON-RPC with our own request ids, a bounded
 * table of requests awaiting replies (expired by {@link sweep}), and a bounded line size.
 * One instance is one socket's life; reconnecting is the owner's job.
 */
export class UpstreamConnection {
  readonly target: UpstreamTarget;
  /** Bytes received / sent on this connection. */
  bytesIn = 0;
  bytesOut = 0;

  readonly #options: UpstreamConnectionOptions;
  readonly #pending = new Map<number, Pending>();
  readonly #now: () => number;
  #socket: Socket | undefined;
  #nextId = 1;
  #closed = false;
  /** Writes are corked until this immediate runs: one syscall for a loop turn's submits. */
  #flush: NodeJS.Immediate | undefined;

  constructor(options: UpstreamConnectionOptions) {
    this.target = options.target;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** Requests awaiting a reply. */
  get pending(): number {
    return this.#pending.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Opens the socket; rejects with `E_UPSTREAM_UNAVAILABLE` on error or timeout. */
  connect(signal?: AbortSignal): Promise<void> {
    const { target, connectTimeoutMs } = this.#options;
    return new Promise<void>((resolve, reject) => {
      const socket = target.tls
        ? connectTls({
            host: target.host,
            port: target.port,
            servername: isIp(target.host) ? undefined : target.host,
            rejectUnauthorized: target.tlsRejectUnauthorized,
          })
        : connectTcp({ host: target.host, port: target.port });
      this.#socket = socket;
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      const fail = (why: string, cause?: unknown) => {
        cleanup();
        this.close(why);
        reject(
          new UpstreamUnavailableError(`cannot connect to pool ${target.display}: ${why}`, {
            cause,
            details: { pool: target.display },
          }),
        );
      };
      const timer = setTimeout(() => fail('connect timeout'), connectTimeoutMs);
      const onAbort = () => fail('aborted');
      const onError = (error: NodeJS.ErrnoException) => fail(error.code ?? 'error', error);
      const onConnect = () => {
        cleanup();
        socket.on('error', () => {}); // 'close' follows and reports it
        resolve();
      };
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        socket.off('error', onError);
        socket.off(target.tls ? 'secureConnect' : 'connect', onConnect);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('error', onError);
      socket.once(target.tls ? 'secureConnect' : 'connect', onConnect);
      const splitter = new NdjsonSplitter(
        this.#options.maxLineBytes,
        (line) => this.#line(line),
        () => this.close('message too large'),
      );
      socket.on('data', (chunk: Buffer) => {
        this.bytesIn += chunk.length;
        splitter.push(chunk);
      });
      socket.on('close', () => this.close('closed'));
    });
  }

  /**
   * Sends a request; `onReply` gets the pool's reply, or `undefined` and a reason when the
   * connection closes, the request times out, or too many are pending. Returns our id.
   */
  request(method: string, params: unknown, onReply: ReplyHandler): number | undefined {
    return this.requestSerialized(method, JSON.stringify(params) ?? 'null', onReply);
  }

  /**
   * {@link request} with `params` already serialised (JSON text of an object): the share path
   * builds its params from validated pieces instead of serialising an object per share. The
   * line is byte for byte what {@link request} writes for the parsed params.
   */
  requestSerialized(method: string, paramsJson: string, onReply: ReplyHandler): number | undefined {
    if (this.#closed || !this.#socket) {
      onReply(undefined, 'upstream closed');
      return undefined;
    }
    if (this.#pending.size >= this.#options.maxPending) {
      onReply(undefined, 'upstream busy');
      return undefined;
    }
    const id = this.#nextId++;
    this.#pending.set(id, { sentAt: this.#now(), onReply });
    this.#write(
      `{"id":${id},"jsonrpc":"2.0","method":${JSON.stringify(method)},"params":${paramsJson}}\n`,
    );
    return id;
  }

  /** The same as {@link request}, as a promise that rejects without a reply (handshakes). */
  call(method: string, params: unknown): Promise<JsonRpcMessage> {
    return new Promise((resolve, reject) => {
      this.request(method, params, (reply, failure) => {
        if (reply) resolve(reply);
        else reject(new UpstreamUnavailableError(`pool ${this.target.display}: ${failure}`));
      });
    });
  }

  /** Fails requests older than the request timeout. Called by the owner's timer. */
  sweep(): void {
    const oldest = this.#now() - this.#options.requestTimeoutMs;
    for (const [id, pending] of this.#pending) {
      // Insertion order is send order: stop at the first young one.
      if (pending.sentAt > oldest) break;
      this.#pending.delete(id);
      pending.onReply(undefined, 'upstream timeout');
    }
  }

  /** Closes the socket and fails every pending request. Idempotent. */
  close(reason = 'closed'): void {
    if (this.#closed) return;
    this.#closed = true;
    // Lines written before the close still go out, as they did when every write was its own.
    this.#flushNow();
    this.#socket?.destroy();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of pending) entry.onReply(undefined, 'upstream closed');
    this.#options.onClose(reason);
  }

  #write(line: string): void {
    const socket = this.#socket;
    if (!socket) return;
    // Thousands of miners' submits arrive in one event-loop turn; writing each at once cost a
    // syscall per share. Corked, they leave in one writev when the turn's I/O is done.
    if (this.#flush === undefined) {
      socket.cork();
      this.#flush = setImmediate(this.#flushNow);
    }
    socket.write(line);
    this.bytesOut += line.length;
  }

  readonly #flushNow = (): void => {
    if (this.#flush === undefined) return;
    clearImmediate(this.#flush);
    this.#flush = undefined;
    this.#socket?.uncork();
  };

  #line(line: string): void {
    if (this.#closed || line.length === 0) return;
    const message = acceptedReply(line) ?? parseJsonRpcLine(line);
    if (typeof message === 'string') {
      // A pool that speaks garbage is a failed pool: fail over rather than guess.
      this.close(new StratumProtocolError(`pool sent ${message}`).message);
      return;
    }
    if (message.method !== undefined) {
      this.#options.onNotification(message);
      return;
    }
    if (typeof message.id !== 'number') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return; // a reply after its timeout
    this.#pending.delete(message.id);
    pending.onReply(message);
  }
}

const ACCEPTED_TAIL = ',"jsonrpc":"2.0","error":null,"result":{"status":"OK"}}';
const REQUEST_ID = /^[1-9][0-9]{0,14}$/;

/**
 * The pool's reply to an accepted share, recognised without JSON.parse when it has exactly the
 * usual form (`{"id":7,"jsonrpc":"2.0","error":null,"result":{"status":"OK"}}`): half the lines
 * a busy upstream reads. Anything else (other spacing or key order) returns undefined and is
 * parsed as usual; the object is the one JSON.parse would make.
 */
function acceptedReply(line: string): JsonRpcMessage | undefined {
  if (!line.endsWith(ACCEPTED_TAIL) || !line.startsWith('{"id":')) return undefined;
  const digits = line.slice(6, line.length - ACCEPTED_TAIL.length);
  if (!REQUEST_ID.test(digits)) return undefined;
  return {
    id: Number(digits),
    jsonrpc: '2.0',
    error: null,
    result: { status: 'OK' },
  } as JsonRpcMessage;
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
