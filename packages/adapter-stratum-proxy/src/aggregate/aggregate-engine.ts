import type {
  DownstreamConnection,
  DownstreamHandler,
} from '../downstream/downstream-connection.js';
import type { ProxyContext } from '../proxy/proxy-context.js';
import type { ProxyEngine, UpstreamInfo } from '../proxy/proxy-engine.js';
import type { UpstreamLink } from '../upstream/upstream-link.js';
import type { SlotAllocator } from './slot-allocator.js';

/** What the aggregate engine needs of a dialect's shared upstream. */
export interface AggregateUpstream {
  readonly link: UpstreamLink;
  readonly slots: SlotAllocator;
  readonly sessions: Set<unknown>;
  /** When the last miner left; `undefined` while it has miners. */
  emptySince: number | undefined;
  /** Dialect-specific periodic work (keepalives). */
  tick?(now: number): void;
}

/** How a dialect plugs into the {@link AggregateEngine}. */
export interface AggregateDialect<U extends AggregateUpstream> {
  openUpstream(id: number): U;
  accept(connection: DownstreamConnection, engine: AggregateEngine<U>): DownstreamHandler;
}

/**
 * Aggregate mode for either protocol: miners share upstreams, one slot (nonce byte or
 * extranonce prefix) each. Miners go to the fullest upstream with room, so upstreams stay few;
 * a new one opens when all are full; an extra one with no miners closes after a grace period.
 * One upstream is kept open while the proxy runs, so the first miner finds a job waiting.
 */
export class AggregateEngine<U extends AggregateUpstream> implements ProxyEngine {
  readonly #ctx: ProxyContext;
  readonly #dialect: AggregateDialect<U>;
  readonly #upstreams = new Set<U>();
  #nextUpstreamId = 1;

  constructor(ctx: ProxyContext, dialect: AggregateDialect<U>) {
    this.#ctx = ctx;
    this.#dialect = dialect;
  }

  accept(connection: DownstreamConnection): DownstreamHandler {
    return this.#dialect.accept(connection, this);
  }

  start(): void {
    this.#open();
  }

  /** A slot for a miner logging in, on the fullest upstream with room. */
  assign(): { upstream: U; slot: number } {
    let best: U | undefined;
    for (const upstream of this.#upstreams) {
      if (upstream.slots.free === 0) continue;
      if (!best || upstream.slots.used > best.slots.used) best = upstream;
    }
    const upstream = best ?? this.#open();
    const slot = upstream.slots.acquire() as number;
    upstream.emptySince = undefined;
    return { upstream, slot };
  }

  /** A miner's session left its upstream and slot. */
  release(upstream: U, slot: number, session: unknown): void {
    upstream.sessions.delete(session);
    upstream.slots.release(slot);
    if (upstream.sessions.size === 0) upstream.emptySince = this.#ctx.now();
  }

  tick(now: number): void {
    const idleMs = this.#ctx.options.aggregate.upstreamIdleMs;
    for (const upstream of this.#upstreams) {
      upstream.link.sweep();
      upstream.tick?.(now);
      if (
        this.#upstreams.size > 1 &&
        upstream.sessions.size === 0 &&
        upstream.emptySince !== undefined &&
        now - upstream.emptySince >= idleMs
      ) {
        upstream.link.stop();
        this.#upstreams.delete(upstream);
      }
    }
  }

  upstreamCounts(): { active: number; total: number } {
    let active = 0;
    for (const upstream of this.#upstreams) if (upstream.link.up) active++;
    return { active, total: this.#upstreams.size };
  }

  upstreams(): UpstreamInfo[] {
    return [...this.#upstreams].map((upstream) => ({
      id: upstream.link.id,
      pool: upstream.link.pool?.target.display,
      up: upstream.link.up,
      miners: upstream.sessions.size,
      pending: upstream.link.connection?.pending ?? 0,
    }));
  }

  returnToPrimary(): void {
    for (const upstream of this.#upstreams) upstream.link.reconnectNow();
  }

  stop(): void {
    for (const upstream of this.#upstreams) upstream.link.stop();
    this.#upstreams.clear();
  }

  #open(): U {
    const upstream = this.#dialect.openUpstream(this.#nextUpstreamId++);
    this.#upstreams.add(upstream);
    upstream.link.start();
    return upstream;
  }
}
