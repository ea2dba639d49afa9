import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { type TLSSocket, connect as tlsConnect } from 'node:tls';
import { NdjsonSplitter } from '@rigkit/core';
import type { CancelTimer, SimClock } from './sim-clock.js';

/** A JSON object received on a {@link JsonLineConnection}. */
export type JsonObject = Record<string, unknown>;

/** A request sent with {@link JsonLineConnection.request} that waits for its answer. */
export interface PendingRequest {
  id: number;
  method: string;
  /** `performance.now()` when it was written. */
  sentAt: number;
}

/**
 * Why a connection ended without {@link JsonLineConnection.close} being called.
 *
 * - `connect`: the connection could not be made (`error` is Node's, or `'ETIMEDOUT'` when the
 *   connect timeout fired);
 * - `read`: it was open and then failed — an error, the peer closing it (`'EOF'`), an answer that
 *   did not come in time (`'ETIMEDOUT'`) or a line over the limit (`'ENOBUFS'`).
 */
export interface JsonLineFailure {
  phase: 'connect' | 'read';
  error: NodeJS.ErrnoException | 'EOF' | 'ETIMEDOUT' | 'ENOBUFS';
}

/** Receives what happens on one connection. Nothing is called after `close()` or `freeze()`. */
export interface JsonLineHandler {
  /** The connection is open (TLS: the handshake is done); the socket is for inspection. */
  onOpen(socket: Socket | TLSSocket): void;
  /** An answer to a pending request (the request is no longer pending). */
  onResponse(message: JsonObject, request: PendingRequest): void;
  /**
   * Any other JSON object with a string `method`: a notification (`id` null or absent) or a
   * request from the peer (answer it with {@link JsonLineConnection.send}).
   */
  onMessage(message: JsonObject & { method: string }): void;
  /** A line that is not JSON (`message` is `JSON.parse`'s). The connection stays open. */
  onProtocolError(message: string): void;
  /** The connection failed; it is closed already and nothing else follows. */
  onFailure(failure: JsonLineFailure): void;
}

/** How a {@link JsonLineConnection} connects and what it bounds. */
export interface JsonLineConnectionOptions {
  host: string;
  port: number;
  /** TLS without certificate checks (pools use self-signed certificates). */
  tls: boolean;
  clock: SimClock;
  handler: JsonLineHandler;
  /**
   * Write `"jsonrpc": "2.0"` in requests (CryptoNote stratum does, Bitcoin Stratum V1 does
   * not). Default false.
   */
  jsonrpc?: boolean;
  /**
   * Real ms to wait for the connection and for each answer (default 20 s). Not scaled: a
   * pool's latency does not shrink because simulated time runs faster.
   */
  timeoutMs?: number;
  /** Longest line accepted from the peer (default 64 KiB). */
  maxLineBytes?: number;
  /** Most requests waiting for an answer; {@link JsonLineConnection.request} refuses more. */
  maxPending?: number;
}

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One newline-delimited JSON-RPC connection over TCP or TLS, as a miner's stratum client keeps
 * it: numbered requests with a map of pending ones, a connect timeout and an answer timeout
 * (the oldest pending request must be answered in time), a bounded line length and a bounded
 * number of pending requests. The protocol on top (CryptoNote `login`/`submit`, Stratum V1
 * `mining.*`) belongs to the caller. A reconnect is a new instance.
 */
export class JsonLineConnection {
  readonly #options: JsonLineConnectionOptions;
  readonly #pending = new Map<number, PendingRequest>();
  #socket: Socket | TLSSocket | undefined;
  #sequence = 1;
  #connected = false;
  #closed = false;
  #frozen = false;
  #cancelTimeout: CancelTimer | undefined;

  constructor(options: JsonLineConnectionOptions) {
    this.#options = options;
  }

  /** The socket, once {@link connect} was called. */
  get socket(): Socket | TLSSocket | undefined {
    return this.#socket;
  }

  /** Requests waiting for their answer. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Whether requests can be written (open, not closed, not frozen). */
  get writable(): boolean {
    return this.#connected && !this.#closed && !this.#frozen && this.#socket?.writable === true;
  }

  /** Opens the connection; `onOpen` follows, or `onFailure`. */
  connect(): void {
    const { host, port, tls } = this.#options;
    const splitter = new NdjsonSplitter(
      this.#options.maxLineBytes ?? 64 * 1024,
      (line) => this.#onLine(line),
      () => this.#fail({ phase: 'read', error: 'ENOBUFS' }),
    );
    const onConnected = () => {
      this.#connected = true;
      this.#cancelTimeout?.();
      this.#cancelTimeout = undefined;
      if (this.#closed || this.#frozen) return;
      this.#options.handler.onOpen(socket);
    };
    const socket = tls
      ? tlsConnect(
          {
            host,
            port,
            rejectUnauthorized: false,
            ...(isIP(host) === 0 && { servername: host }),
          },
          onConnected,
        )
      : tcpConnect({ host, port, noDelay: true }, onConnected);
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      this.#fail({ phase: this.#connected ? 'read' : 'connect', error }),
    );
    socket.on('end', () => this.#fail({ phase: 'read', error: 'EOF' }));
    socket.on('close', () => this.#fail({ phase: 'read', error: 'EOF' }));
    this.#cancelTimeout = this.#options.clock.afterReal(this.#options.timeoutMs ?? 20_000, () =>
      this.#fail({ phase: 'connect', error: 'ETIMEDOUT' }),
    );
  }

  /**
   * Writes `{"id":n,["jsonrpc":"2.0",]"method":…,"params":…}` and keeps it pending until its
   * answer. Returns the id, or `undefined` when nothing was written (not open, closed, frozen,
   * or too many answers outstanding).
   */
  request(method: string, params: unknown): number | undefined {
    const socket = this.#socket;
    if (this.#closed || this.#frozen || !socket || !socket.writable) return undefined;
    if (this.#pending.size >= (this.#options.maxPending ?? 1024)) return undefined;
    const id = this.#sequence++;
    const message = this.#options.jsonrpc
      ? { id, jsonrpc: '2.0', method, params }
      : { id, method, params };
    socket.write(`${JSON.stringify(message)}\n`);
    this.#pending.set(id, { id, method, sentAt: performance.now() });
    this.#armResponseTimeout();
    return id;
  }

  /** Writes one message as it is (an answer to a request of the peer). */
  send(message: JsonObject): boolean {
    const socket = this.#socket;
    if (this.#closed || this.#frozen || !socket || !socket.writable) return false;
    socket.write(`${JSON.stringify(message)}\n`);
    return true;
  }

  /** Ends the connection quietly: no handler call follows. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTimeout();
    this.#pending.clear();
    this.#socket?.destroy();
  }

  /** Stops reading and writing but keeps the socket open (a hung miner). */
  freeze(): void {
    this.#frozen = true;
    this.#stopTimeout();
    this.#socket?.pause();
  }

  #onLine(line: string): void {
    if (this.#closed || this.#frozen || line.trim() === '') return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch (error) {
      this.#options.handler.onProtocolError((error as Error).message);
      return;
    }
    if (!isObject(message)) return;
    if (typeof message.method === 'string') {
      this.#options.handler.onMessage(message as JsonObject & { method: string });
      return;
    }
    if (typeof message.id !== 'number') return;
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.#stopTimeout();
    this.#options.handler.onResponse(message, pending);
  }

  #armResponseTimeout(): void {
    if (this.#cancelTimeout) return;
    const timeoutMs = this.#options.timeoutMs ?? 20_000;
    this.#cancelTimeout = this.#options.clock.afterReal(timeoutMs, () => {
      this.#cancelTimeout = undefined;
      if (this.#pending.size === 0) return;
      // The oldest request is the first inserted (a Map keeps insertion order).
      const oldest = (this.#pending.values().next().value as PendingRequest).sentAt;
      if (performance.now() - oldest >= timeoutMs) {
        this.#fail({ phase: 'read', error: 'ETIMEDOUT' });
      } else {
        this.#armResponseTimeout();
      }
    });
  }

  #stopTimeout(): void {
    this.#cancelTimeout?.();
    this.#cancelTimeout = undefined;
  }

  #fail(failure: JsonLineFailure): void {
    if (this.#closed || this.#frozen) return;
    this.close();
    this.#options.handler.onFailure(failure);
  }
}
