import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '@rigkit/core';
import { ProxyListenError } from '../errors.js';
import { ConnectionLimiter } from '../limits/connection-limiter.js';
import {
  type ConnectionLimits,
  DownstreamConnection,
  type DownstreamHandler,
  type GonePhase,
  type TrafficCounters,
} from './downstream-connection.js';

/** Options of a {@link DownstreamServer}. */
export interface DownstreamServerOptions {
  limits: ConnectionLimits & { maxConnections: number; maxConnectionsPerIp: number };
  counters: TrafficCounters;
  /** Makes the protocol session of a new connection. */
  accept(connection: DownstreamConnection): DownstreamHandler;
  logger: Logger;
  now?: () => number;
}

/**
 * The miners' side of the proxy: a TCP listener that refuses connections over the global and
 * per-IP limits before any state is made for them, and one sweep timer that enforces the login
 * and idle deadlines of every connection.
 */
export class DownstreamServer {
  readonly #options: DownstreamServerOptions;
  readonly #limiter: ConnectionLimiter;
  readonly #connections = new Set<DownstreamConnection>();
  readonly #now: () => number;
  #server: Server | undefined;
  #sweep: NodeJS.Timeout | undefined;
  #nextId = 1;
  /** One function for every connection, not a closure each. */
  readonly #onGone = (connection: DownstreamConnection, phase: GonePhase): void => {
    if (phase === 'draining') {
      this.#draining++;
      return;
    }
    if (phase === 'drained') this.#draining--;
    if (this.#connections.delete(connection)) this.#limiter.release(connection.address);
  };
  /** Connections closed for their miner but still handing over a last line. */
  #draining = 0;
  #refused = { global: 0, perIp: 0 };
  #peak = 0;

  constructor(options: DownstreamServerOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#limiter = new ConnectionLimiter({
      maxConnections: options.limits.maxConnections,
      maxPerIp: options.limits.maxConnectionsPerIp,
    });
  }

  /** Miner connections open now (not those closed that are still handing over a last line). */
  get size(): number {
    return this.#connections.size - this.#draining;
  }

  /** Most connections open at once since start. */
  get peak(): number {
    return this.#peak;
  }

  /** Connections refused at the door, by limit. */
  get refused(): { global: number; perIp: number } {
    return { ...this.#refused };
  }

  /** Every open connection (for fan-out and shutdown). */
  connections(): IterableIterator<DownstreamConnection> {
    return this.#connections.values();
  }

  /** Listens; resolves with the bound port. */
  async listen(host: string, port: number): Promise<number> {
    const server = createServer({ noDelay: true }, (socket) => this.#accept(socket));
    server.on('error', (error) => {
      this.#options.logger.error(
        { code: (error as NodeJS.ErrnoException).code },
        'proxy listener error',
      );
    });
    await new Promise<void>((resolve, reject) => {
      const onError = (error: NodeJS.ErrnoException) => {
        reject(
          new ProxyListenError(`cannot listen on ${host}:${port}: ${error.code ?? error.message}`, {
            cause: error,
            details: { host, port, errno: error.code },
          }),
        );
      };
      server.once('error', onError);
      server.listen({ host, port, backlog: 4096 }, () => {
        server.off('error', onError);
        resolve();
      });
    });
    this.#server = server;
    const limits = this.#options.limits;
    const sweepMs = Math.max(
      10,
      Math.min(1000, Math.floor(Math.min(limits.loginTimeoutMs, limits.idleTimeoutMs) / 4)),
    );
    this.#sweep = setInterval(() => this.sweep(), sweepMs);
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  /** Closes connections whose login or idle deadline passed. Runs on the sweep timer. */
  sweep(): void {
    const now = this.#now();
    for (const connection of this.#connections) {
      if (now < connection.deadlineAt) continue;
      if (connection.draining) connection.destroy();
      else connection.close(connection.loggedIn ? 'idle' : 'login-timeout');
    }
  }

  /** Stops listening, closes every connection and releases the sweep timer. */
  async close(): Promise<void> {
    clearInterval(this.#sweep);
    this.#sweep = undefined;
    const server = this.#server;
    this.#server = undefined;
    for (const connection of [...this.#connections]) {
      connection.close('shutdown');
      connection.destroy(); // one still draining its last line
    }
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  #accept(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const verdict = this.#limiter.tryAcquire(address);
    if (verdict !== 'ok') {
      if (verdict === 'global') this.#refused.global++;
      else this.#refused.perIp++;
      // Before any state exists for it: a connect flood costs an accept and a close.
      socket.on('error', ignore);
      socket.destroy();
      return;
    }
    const connection = new DownstreamConnection(
      this.#nextId++,
      socket,
      this.#options.limits,
      this.#options.counters,
      this.#now,
      this.#onGone,
    );
    this.#connections.add(connection);
    if (this.#connections.size > this.#peak) this.#peak = this.#connections.size;
    try {
      connection.handler = this.#options.accept(connection);
    } catch (error) {
      this.#options.logger.error({ err: error }, 'proxy session failed to start');
      connection.close('error');
    }
  }
}

function ignore(): void {}
