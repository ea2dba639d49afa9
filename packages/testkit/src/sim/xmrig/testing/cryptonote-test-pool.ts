import { once } from 'node:events';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { CryptoNoteJob } from '../../stratum-client/cryptonote-client.js';
import { parseTarget } from '../stratum-job.js';

/** A message a miner sent, with the connection it came on. */
export interface PoolMessage {
  connection: number;
  raw: string;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, inspected by the tests
  json: any;
  /** `performance.now()` when it arrived. */
  at: number;
}

/** A CryptoNote job as a pool sends it. */
export type PoolJob = CryptoNoteJob;

/** How the {@link CryptonoteTestPool} behaves. */
export interface CryptonoteTestPoolOptions {
  /** The login job (default: the fixture's, `cryptonote-pool-side.jsonl`). */
  job?: PoolJob;
  /** `extensions` of the login result (default the fixture's, with `nicehash`). */
  extensions?: string[];
  /** Refuse every login with this error (the fixture's `Invalid payment address provided`). */
  loginError?: { code: number; message: string };
  /** Reject results whose last 8 bytes do not meet the target (default true). */
  checkTarget?: boolean;
  /** Serve TLS with this key and certificate (`stratum+ssl://`). */
  tls?: { key: string; cert: string };
}

/** The fixture's login job (`cryptonote-pool-side.jsonl`, line 1). */
export const FIXTURE_JOB: PoolJob = {
  blob: '8d3a30c8edea0075f00d3f95594617923d208644b77713d8d81140abc4f4643647c7fd6ea224d1000000005f8609d8cff5db6aa9b28f27c4d9c3fd7b4f611a4eb286b852275667e2d0c62b2e',
  job_id: 'q7PLUPL25UV0z5Ij14IyMk8htXbj',
  target: 'b88d0600',
  algo: 'rx/0',
  height: 3100000,
  seed_hash: '4d5c9b7a6e3f2d1c0b9a8f7e6d5c4b3a29181706f5e4d3c2b1a09f8e7d6c5b4a',
};

export const FIXTURE_EXTENSIONS = ['algo', 'nicehash', 'connect', 'tls', 'keepalive'];

/**
 * A tiny CryptoNote pool for tests: answers `login` like the fixture (session id, embedded job,
 * extensions) or with an error, `submit` with OK or "Low difficulty share" (checking the
 * result against the target like a real pool can), `keepalived` with KEEPALIVED, and can push
 * `job` notifications. It records every line the miner sends.
 */
export class CryptonoteTestPool {
  readonly messages: PoolMessage[] = [];
  readonly #server: Server;
  readonly #options: CryptonoteTestPoolOptions;
  readonly #sockets = new Map<number, Socket>();
  readonly #listeners = new Set<() => void>();
  #connections = 0;
  #job: PoolJob;

  private constructor(server: Server, options: CryptonoteTestPoolOptions) {
    this.#server = server;
    this.#options = options;
    this.#job = options.job ?? FIXTURE_JOB;
  }

  /** Starts a pool on a free loopback port. */
  static async start(options: CryptonoteTestPoolOptions = {}): Promise<CryptonoteTestPool> {
    const server: Server = options.tls ? createTlsServer(options.tls) : createServer();
    const pool = new CryptonoteTestPool(server, options);
    server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) =>
      pool.#accept(socket),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return pool;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Connections accepted so far. */
  get connections(): number {
    return this.#connections;
  }

  /** Messages with this method. */
  byMethod(method: string): PoolMessage[] {
    return this.messages.filter((message) => message.json?.method === method);
  }

  /** Resolves with the first message (already received or to come) that matches. */
  waitFor(predicate: (message: PoolMessage) => boolean, timeoutMs = 10_000): Promise<PoolMessage> {
    const found = this.messages.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.messages.find(predicate);
        if (!match) return;
        cleanup();
        resolve(match);
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`the pool got no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#listeners.add(check);
    });
  }

  /** Sends a `job` notification (with the session id in params, as the fixture does) to every miner. */
  pushJob(job: PoolJob): void {
    this.#job = job;
    for (const [connection, socket] of this.#sockets) {
      this.#send(socket, {
        jsonrpc: '2.0',
        method: 'job',
        params: { ...job, id: `session-${connection}` },
      });
    }
  }

  /** Drops every miner connection (the miner sees "end of file"). */
  dropConnections(): void {
    for (const socket of this.#sockets.values()) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropConnections();
    this.#server.close();
    await once(this.#server, 'close').catch(() => {});
  }

  #accept(socket: Socket): void {
    const connection = ++this.#connections;
    this.#sockets.set(connection, socket);
    socket.on('close', () => this.#sockets.delete(connection));
    socket.on('error', () => {});
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        const raw = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        this.#onLine(socket, connection, raw);
        newline = buffer.indexOf('\n');
      }
    });
  }

  #onLine(socket: Socket, connection: number, raw: string): void {
    let json: PoolMessage['json'];
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    this.messages.push({ connection, raw, json, at: performance.now() });
    const id = json?.id;
    switch (json?.method) {
      case 'login':
        if (this.#options.loginError) {
          this.#send(socket, { id, jsonrpc: '2.0', error: this.#options.loginError });
        } else {
          this.#send(socket, {
            id,
            jsonrpc: '2.0',
            error: null,
            result: {
              id: `session-${connection}`,
              job: this.#job,
              extensions: this.#options.extensions ?? FIXTURE_EXTENSIONS,
              status: 'OK',
            },
          });
        }
        break;
      case 'submit': {
        const good = this.#options.checkTarget === false || this.#meetsTarget(json.params?.result);
        this.#send(
          socket,
          good
            ? { id, jsonrpc: '2.0', error: null, result: { status: 'OK' } }
            : { id, jsonrpc: '2.0', error: { code: -1, message: 'Low difficulty share' } },
        );
        break;
      }
      case 'keepalived':
        this.#send(socket, { id, jsonrpc: '2.0', error: null, result: { status: 'KEEPALIVED' } });
        break;
      default:
        break;
    }
    for (const listener of [...this.#listeners]) listener();
  }

  #meetsTarget(result: unknown): boolean {
    if (typeof result !== 'string' || !/^[0-9a-f]{64}$/.test(result)) return false;
    const value = Buffer.from(result, 'hex').readBigUInt64LE(24);
    const target = parseTarget(this.#job.target)?.target ?? 0n;
    return value < target;
  }

  #send(socket: Socket, message: unknown): void {
    if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
  }
}
