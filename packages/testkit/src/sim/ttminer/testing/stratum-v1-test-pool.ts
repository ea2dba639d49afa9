import { createServer, type Server, type Socket } from 'node:net';
import { NdjsonSplitter } from '@rigkit/core';
import { V1, withId } from './fixtures.js';

/** One line a miner sent. */
export interface PoolMessage {
  /** `performance.now()` when it arrived. */
  at: number;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads arbitrary fields.
  json: any;
  /** Which connection (1, 2, …). */
  connection: number;
}

/** How the {@link StratumV1TestPool} answers. */
export interface StratumV1TestPoolOptions {
  /** Sent with `mining.set_difficulty` right after the login (default: the fixture's 1024). */
  difficulty?: number;
  /** Answer `mining.authorize` with `true` (default) or `false`. */
  authorize?: boolean;
  /** Whether submit number `n` (1, 2, …) is accepted (default: all are). */
  accept?: (n: number) => boolean;
  /** Send the fixture's `mining.notify` after the login (default true). */
  sendJob?: boolean;
}

/**
 * A tiny Bitcoin Stratum V1 pool for tests (`net.createServer`), answering with the lines of
 * `stratum-v1-examples.jsonl` (ids replaced by the request's): the subscribe result
 * (extranonce1 `08000002`, extranonce2_size 4), `true` for authorize, then
 * `mining.set_difficulty` and the fixture's `mining.notify`; submits are accepted with the
 * fixture's answer or rejected with its `[23, "Low difficulty share", null]`. Records every
 * line; {@link send} pushes more.
 */
export class StratumV1TestPool {
  readonly messages: PoolMessage[] = [];
  readonly #server: Server;
  readonly #options: StratumV1TestPoolOptions;
  readonly #sockets = new Map<number, Socket>();
  readonly #waiters = new Set<() => void>();
  #connections = 0;
  #submits = 0;

  private constructor(server: Server, options: StratumV1TestPoolOptions) {
    this.#server = server;
    this.#options = options;
  }

  static async start(options: StratumV1TestPoolOptions = {}): Promise<StratumV1TestPool> {
    const server = createServer();
    const pool = new StratumV1TestPool(server, options);
    server.on('connection', (socket) => pool.#onConnection(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return pool;
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  /** `127.0.0.1:<port>`. */
  get url(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Connections accepted so far. */
  get connections(): number {
    return this.#connections;
  }

  /** Connections open now. */
  get openConnections(): number {
    return this.#sockets.size;
  }

  byMethod(method: string): PoolMessage[] {
    return this.messages.filter((message) => message.json?.method === method);
  }

  /** Sends a line (an object is serialised) to every open connection. */
  send(message: string | object): void {
    const line = typeof message === 'string' ? message : JSON.stringify(message);
    for (const socket of this.#sockets.values()) socket.write(`${line}\n`);
  }

  /** Resolves when `predicate` holds (checked now and after every line and connection change). */
  waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = predicate();
        if (value === undefined || value === false) return false;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(value);
        return true;
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`test pool: condition not met within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.#waiters.add(check);
    });
  }

  /** The first message (from now on or already received) that satisfies `predicate`. */
  waitForMessage(predicate: (message: PoolMessage) => boolean, timeoutMs = 10_000) {
    return this.waitFor(() => this.messages.find(predicate), timeoutMs);
  }

  /** Closes every connection (the miner sees the pool go away). */
  dropConnections(): void {
    for (const socket of this.#sockets.values()) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }

  #onConnection(socket: Socket): void {
    const connection = ++this.#connections;
    this.#sockets.set(connection, socket);
    socket.on('error', () => {});
    socket.on('close', () => {
      this.#sockets.delete(connection);
      this.#notify();
    });
    const splitter = new NdjsonSplitter(
      64 * 1024,
      (raw) => this.#onLine(socket, connection, raw),
      () => socket.destroy(),
    );
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    this.#notify();
  }

  #onLine(socket: Socket, connection: number, raw: string): void {
    // biome-ignore lint/suspicious/noExplicitAny: test code reads arbitrary fields.
    let json: any;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    this.messages.push({ at: performance.now(), raw, json, connection });
    const write = (line: string) => socket.write(`${line}\n`);
    switch (json?.method) {
      case 'mining.subscribe':
        write(withId(V1.subscribeResult, json.id));
        break;
      case 'mining.authorize':
        if (this.#options.authorize === false) {
          write(JSON.stringify({ id: json.id, result: false, error: null }));
          break;
        }
        write(withId(V1.authorizeResult, json.id));
        write(
          this.#options.difficulty === undefined
            ? V1.setDifficulty
            : JSON.stringify({
                id: null,
                method: 'mining.set_difficulty',
                params: [this.#options.difficulty],
              }),
        );
        if (this.#options.sendJob !== false) write(V1.notify);
        break;
      case 'mining.extranonce.subscribe':
        write(withId(V1.extranonceSubscribeResult, json.id));
        break;
      case 'mining.submit': {
        const n = ++this.#submits;
        const accepted = this.#options.accept?.(n) ?? true;
        write(withId(accepted ? V1.submitAccepted : V1.submitRejected, json.id));
        break;
      }
      default:
        break;
    }
    this.#notify();
  }
}
