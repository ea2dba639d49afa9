import type { ProxyContext } from '../proxy/proxy-context.js';
import type { JsonRpcMessage } from '../wire/json-rpc.js';
import type { PoolEntry } from './pool-selector.js';
import { UpstreamConnection } from './upstream-connection.js';

/** Logs in on a fresh connection (the dialect's handshake); throws when the pool refuses. */
export type Handshake = (connection: UpstreamConnection, pool: PoolEntry) => Promise<void>;

/** Options of an {@link UpstreamLink}. */
export interface UpstreamLinkOptions {
  id: number;
  handshake: Handshake;
  onNotification(message: JsonRpcMessage): void;
  /** Logged in (again); the dialect sends jobs from here. */
  onUp(connection: UpstreamConnection, pool: PoolEntry): void;
  /** Lost; `final` when the link will not reconnect. */
  onDown(reason: string, final: boolean): void;
  /** Reconnect after a loss (aggregate mode) or give up after the first (passthrough). */
  reconnect: boolean;
}

/**
 * One logical connection to "the pool": connects to the pool the selector names, runs the
 * handshake, and — when it is allowed to — reconnects after a loss with the selector's backoff,
 * which moves through the failover list. Emits `proxy.upstream.up/down`.
 */
export class UpstreamLink {
  readonly id: number;
  readonly #ctx: ProxyContext;
  readonly #options: UpstreamLinkOptions;
  #connection: UpstreamConnection | undefined;
  #pool: PoolEntry | undefined;
  #up = false;
  #stopped = false;
  #retry: NodeJS.Timeout | undefined;
  #abort = new AbortController();

  constructor(ctx: ProxyContext, options: UpstreamLinkOptions) {
    this.id = options.id;
    this.#ctx = ctx;
    this.#options = options;
  }

  /** Logged in and usable. */
  get up(): boolean {
    return this.#up;
  }

  /** The live connection while {@link up}. */
  get connection(): UpstreamConnection | undefined {
    return this.#up ? this.#connection : undefined;
  }

  /** The pool this link is connected (or connecting) to. */
  get pool(): PoolEntry | undefined {
    return this.#pool;
  }

  /** Starts connecting in the background. */
  start(): void {
    void this.#attempt();
  }

  /** Drops the connection and connects again to the selector's current pool (return to primary). */
  reconnectNow(): void {
    if (this.#stopped) return;
    this.#connection?.close('switching pool');
  }

  /** Closes for good; no reconnect. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#abort.abort();
    this.#connection?.close('shutdown');
  }

  /** Expires requests that waited too long for the pool. */
  sweep(): void {
    this.#connection?.sweep();
  }

  async #attempt(): Promise<void> {
    if (this.#stopped || this.#ctx.stopping) return;
    const pool = this.#ctx.selector.current;
    this.#pool = pool;
    const { limits, failover } = this.#ctx.options;
    const traffic = this.#ctx.upstreamTraffic;
    let lost = false;
    const connection: UpstreamConnection = new UpstreamConnection({
      target: pool.target,
      maxLineBytes: limits.maxLineBytes,
      connectTimeoutMs: failover.connectTimeoutMs,
      requestTimeoutMs: limits.upstreamRequestTimeoutMs,
      maxPending: 65_536,
      now: this.#ctx.now,
      onNotification: (message) => {
        if (this.#connection === connection) this.#options.onNotification(message);
      },
      onClose: (reason) => {
        traffic.bytesIn += connection.bytesIn;
        traffic.bytesOut += connection.bytesOut;
        if (lost) return;
        lost = true;
        if (this.#connection === connection) this.#lost(pool, reason);
      },
    });
    this.#connection = connection;
    try {
      await connection.connect(this.#abort.signal);
      await this.#options.handshake(connection, pool);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'handshake failed';
      connection.close(reason);
      return;
    }
    if (connection.closed || this.#connection !== connection) return;
    this.#up = true;
    this.#ctx.selector.succeeded(pool);
    this.#ctx.emit('proxy.upstream.up', { upstreamId: this.id, pool: pool.target.display });
    this.#options.onUp(connection, pool);
  }

  #lost(pool: PoolEntry, reason: string): void {
    const wasUp = this.#up;
    this.#up = false;
    const final = this.#stopped || this.#ctx.stopping || !this.#options.reconnect;
    if (wasUp) {
      this.#ctx.emit('proxy.upstream.down', {
        upstreamId: this.id,
        pool: pool.target.display,
        reason,
      });
    } else {
      this.#ctx.logger.warn({ pool: pool.target.display, reason }, 'pool connection failed');
    }
    // A switch to the primary is not the pool's fault: reconnect at once, no failover step.
    const delay =
      reason === 'switching pool' || this.#stopped ? 0 : this.#ctx.selector.failed(pool);
    this.#options.onDown(reason, final);
    if (final) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.#attempt();
    }, delay);
  }
}
