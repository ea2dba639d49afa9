import { createServer, type Server, type Socket } from 'node:net';
import { NdjsonSplitter } from '@rigkit/core';

/** How {@link TtminerApiServer} serves. */
export interface TtminerApiServerOptions {
  host: string;
  /** 0: a free port ({@link TtminerApiServer.listen} resolves with it). */
  port: number;
  /** Requests must carry `"psw": <password>` (Claymore's convention); `null`: no check. */
  password: string | null;
  /** Answer every request with a line that is not JSON (`--sim-garbage-api`). */
  garbage?: boolean;
  /** Delay every answer by this many real ms (`--sim-slow-api`). */
  slowMs?: number;
  /** The `result` of `miner_getstat1`, read when a request comes. */
  getstat1: () => unknown[];
  /** Longest request line, bytes (default 4 KiB). */
  maxRequestBytes?: number;
  /** Connections closed after this many real ms without a whole request (default 30 s). */
  idleTimeoutMs?: number;
  /** Most connections at once (default 64); more are refused. */
  maxConnections?: number;
}

/** A JSON-RPC 2.0 error object. */
interface RpcError {
  code: number;
  message: string;
}

export const PARSE_ERROR: RpcError = { code: -32700, message: 'Parse error' };
export const INVALID_REQUEST: RpcError = { code: -32600, message: 'Invalid Request' };
export const REQUEST_TOO_LARGE: RpcError = {
  code: -32600,
  message: 'Invalid Request: the request line is too long',
};
export const METHOD_NOT_FOUND: RpcError = { code: -32601, message: 'Method not found' };
/** The adapter maps an error that mentions the password to `E_API_AUTH`. */
export const WRONG_PASSWORD: RpcError = {
  code: -32001,
  message: 'Access denied: wrong or missing API password ("psw")',
};

/** What `--sim-garbage-api` answers. */
export const GARBAGE_ANSWER = 'TT-Miner API <<garbage>> {"result":[';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * TT-Miner's API as the simulator serves it: Claymore-compatible JSON-RPC over plain TCP. A
 * client sends one request line (`{"id":0,"jsonrpc":"2.0","method":"miner_getstat1"}`, plus
 * `"psw"` when a password is set) and gets one answer line, then the connection is closed, as
 * Claymore's API does. A request without its newline counts when the client half-closes.
 *
 * Errors are JSON-RPC error objects, then the connection closes: not JSON → -32700; not an
 * object with a string `method`, or longer than the limit → -32600; a wrong or missing
 * password → -32001 (the message mentions the password); another method → -32601.
 *
 * Bounded: request size, connection count, idle time. {@link hang} makes it take connections
 * and never answer (a hung miner).
 */
export class TtminerApiServer {
  readonly #options: TtminerApiServerOptions;
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #server: Server | undefined;
  #hung = false;

  constructor(options: TtminerApiServerOptions) {
    this.#options = options;
  }

  /** Listens; resolves with the bound port, rejects with the bind error (`EADDRINUSE`…). */
  listen(): Promise<number> {
    const server = createServer((socket) => this.#onConnection(socket));
    server.maxConnections = this.#options.maxConnections ?? 64;
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.#options.host, port: this.#options.port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => {});
        resolve((server.address() as { port: number }).port);
      });
    });
  }

  /** From now on: take connections and requests, never answer. */
  hang(): void {
    this.#hung = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Stops listening and drops every connection. */
  close(): Promise<void> {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    const server = this.#server;
    if (!server?.listening) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  #onConnection(socket: Socket): void {
    this.#sockets.add(socket);
    socket.setNoDelay(true);
    socket.setTimeout(this.#options.idleTimeoutMs ?? 30_000, () => socket.destroy());
    socket.on('error', () => {});
    socket.on('close', () => this.#sockets.delete(socket));
    let handled = false;
    const splitter = new NdjsonSplitter(
      this.#options.maxRequestBytes ?? 4096,
      (line) => {
        if (handled || line.trim() === '') return;
        handled = true;
        this.#onRequest(socket, line);
      },
      () => {
        if (handled) return;
        handled = true;
        this.#answer(socket, { id: null, jsonrpc: '2.0', error: REQUEST_TOO_LARGE });
      },
    );
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('end', () => {
      splitter.end();
      if (!handled && !this.#hung) socket.end();
    });
  }

  #onRequest(socket: Socket, line: string): void {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      this.#answer(socket, { id: null, jsonrpc: '2.0', error: PARSE_ERROR });
      return;
    }
    if (!isObject(request) || typeof request.method !== 'string') {
      const id = isObject(request) ? idOf(request) : null;
      this.#answer(socket, { id, jsonrpc: '2.0', error: INVALID_REQUEST });
      return;
    }
    const id = idOf(request);
    const { password } = this.#options;
    if (password !== null && request.psw !== password) {
      this.#answer(socket, { id, jsonrpc: '2.0', error: WRONG_PASSWORD });
      return;
    }
    if (request.method !== 'miner_getstat1') {
      this.#answer(socket, { id, jsonrpc: '2.0', error: METHOD_NOT_FOUND });
      return;
    }
    // Read now: a slow answer reports the moment of the request, like a busy miner.
    this.#answer(socket, { id, jsonrpc: '2.0', result: this.#options.getstat1() });
  }

  /** Writes the answer line (or garbage) and closes: at once, or after the slow-API delay. */
  #answer(socket: Socket, message: Record<string, unknown>): void {
    if (this.#hung) return;
    const text = this.#options.garbage ? GARBAGE_ANSWER : JSON.stringify(message);
    const send = () => {
      if (this.#hung || socket.destroyed) return;
      socket.end(`${text}\n`);
    };
    const slowMs = this.#options.slowMs ?? 0;
    if (slowMs <= 0) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      send();
    }, slowMs);
    this.#timers.add(timer);
  }
}

/** The request's `id` (a number or a string), else 0 as Claymore's API answers. */
function idOf(request: Record<string, unknown>): number | string | null {
  const { id } = request;
  return typeof id === 'number' || typeof id === 'string' ? id : 0;
}
