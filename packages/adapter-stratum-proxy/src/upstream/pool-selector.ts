import { formatPool, parsePoolUrl } from '../options/pool-url.js';
import type { ProxyOptions } from '../options/proxy-options.js';
import { FailoverPlan } from './failover-plan.js';
import type { UpstreamTarget } from './upstream-connection.js';

/** One pool of the failover list, parsed. */
export interface PoolEntry {
  index: number;
  target: UpstreamTarget;
  /** The login the proxy uses; `undefined` in passthrough means "the miner's own". */
  user: string | undefined;
  pass: string;
  keepalive: boolean;
}

/** Called when the proxy moves to another pool of the list. */
export type FailoverListener = (
  from: PoolEntry,
  to: PoolEntry,
  reason: 'failure' | 'primary',
) => void;

/**
 * Which pool every new upstream connection goes to. Failures are reported with the index that
 * failed, so fifty upstreams that lose the same pool at once move the proxy one step, not fifty.
 */
export class PoolSelector {
  readonly pools: readonly PoolEntry[];
  readonly #plan: FailoverPlan;
  readonly #onFailover: FailoverListener;

  constructor(options: ProxyOptions, onFailover: FailoverListener, random?: () => number) {
    this.pools = options.pools.map((pool, index) => {
      const url = parsePoolUrl(pool.url);
      const tls = pool.tls ?? url.tls;
      return {
        index,
        target: {
          host: url.host,
          port: url.port,
          tls,
          tlsRejectUnauthorized: pool.tlsRejectUnauthorized,
          display: formatPool({ host: url.host, port: url.port, tls }),
        },
        user: pool.user,
        pass: pool.pass,
        keepalive: pool.keepalive,
      };
    });
    this.#plan = new FailoverPlan({
      pools: this.pools.length,
      initialBackoffMs: options.failover.initialBackoffMs,
      maxBackoffMs: options.failover.maxBackoffMs,
      ...(random ? { random } : {}),
    });
    this.#onFailover = onFailover;
  }

  /** The pool new connections go to. */
  get current(): PoolEntry {
    return this.pools[this.#plan.current] as PoolEntry;
  }

  get onPrimary(): boolean {
    return this.#plan.onPrimary;
  }

  /** A connection to `entry` failed; returns how long to wait before the next attempt. */
  failed(entry: PoolEntry): number {
    if (entry.index !== this.#plan.current) return 0; // someone already moved on
    const { delayMs } = this.#plan.failed();
    const next = this.current;
    if (next !== entry) this.#onFailover(entry, next, 'failure');
    return delayMs;
  }

  /** A connection to `entry` logged in: the backoff starts over. */
  succeeded(entry: PoolEntry): void {
    if (entry.index === this.#plan.current) this.#plan.succeeded();
  }

  /** The primary answered again: new connections go back to it. */
  returnToPrimary(): void {
    if (this.#plan.onPrimary) return;
    const from = this.current;
    this.#plan.usePrimary();
    this.#onFailover(from, this.current, 'primary');
  }
}
