import {
  type AdapterEventPayload,
  type AdapterEventType,
  type Logger,
  silentLogger,
} from '@rigkit/core';
import { AggregateEngine } from '../aggregate/aggregate-engine.js';
import { cryptonoteAggregateDialect } from '../cryptonote/cryptonote-aggregate-session.js';
import { cryptonotePassthroughDialect } from '../cryptonote/cryptonote-passthrough-dialect.js';
import type {
  CloseReason,
  DownstreamConnection,
  TrafficCounters,
} from '../downstream/downstream-connection.js';
import { DownstreamServer } from '../downstream/downstream-server.js';
import { parseProxyOptions } from '../options/parse-proxy-options.js';
import type { ProxyOptions, ProxyOptionsInput } from '../options/proxy-options.js';
import { PassthroughEngine } from '../passthrough/passthrough-engine.js';
import {
  type ShareResult,
  type WorkerRecord,
  type WorkerSnapshot,
  WorkerStats,
} from '../stats/worker-stats.js';
import { stratumV1AggregateDialect } from '../stratum-v1/stratum-v1-aggregate-session.js';
import { stratumV1PassthroughDialect } from '../stratum-v1/stratum-v1-passthrough-dialect.js';
import { PoolSelector } from '../upstream/pool-selector.js';
import { probePool } from './probe-pool.js';
import type { ProxyContext, ShareTotals } from './proxy-context.js';
import type { ProxyEngine, UpstreamInfo } from './proxy-engine.js';

/** Hashes per unit of share difficulty: CryptoNote difficulty counts hashes, SHA-256d 2^32. */
const HASHES_PER_DIFFICULTY = { cryptonote: 1, 'stratum-v1': 2 ** 32 } as const;
const TICK_MS = 1000;
const WORKER_SWEEP_MS = 60_000;

/** What a running proxy reports. */
export interface ProxyStats {
  protocol: ProxyOptions['protocol'];
  mode: ProxyOptions['mode'];
  /** Bound address while listening. */
  listening: { host: string; port: number } | undefined;
  startedAt: number | undefined;
  /** The pool new upstream connections go to. */
  pool: string | undefined;
  onPrimary: boolean;
  miners: { now: number; max: number; refused: { global: number; perIp: number } };
  upstreams: { active: number; total: number; list: UpstreamInfo[] };
  shares: ShareTotals;
  /** Estimated from accepted share difficulty, H/s. */
  hashrate: { '1m': number; '10m': number; '1h': number };
  workers: { known: number; online: number; folded: number };
  bytes: { downstreamIn: number; downstreamOut: number; upstreamIn: number; upstreamOut: number };
  /** Downstream connections closed, by reason (`idle`, `slow-reader`, `message-too-large`, …). */
  closed: Record<string, number>;
}

/** Collaborators of a {@link StratumProxy}. */
export interface StratumProxyDeps {
  logger?: Logger;
  /** Receives `proxy.*` events (the adapter passes `ctx.emit`). */
  emit?<T extends AdapterEventType>(type: T, payload: AdapterEventPayload<T>): void;
  now?: () => number;
}

/**
 * A stratum proxy: miners connect to it, pools see few connections. Construction validates the
 * options and does no I/O; {@link start} listens and opens the first upstream; {@link stop}
 * releases every socket and timer.
 */
export class StratumProxy {
  /** The validated options, defaults filled in. */
  readonly options: ProxyOptions;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #emit: NonNullable<StratumProxyDeps['emit']>;
  #state: 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' = 'idle';
  #ctx: (ProxyContext & { stopping: boolean }) | undefined;
  #engine: ProxyEngine | undefined;
  #server: DownstreamServer | undefined;
  #totals: WorkerStats | undefined;
  #totalRecord: WorkerRecord | undefined;
  #tick: NodeJS.Timeout | undefined;
  #listening: { host: string; port: number } | undefined;
  #startedAt: number | undefined;
  #nextWorkerSweep = 0;
  #nextPrimaryProbe = 0;
  #probing: AbortController | undefined;

  constructor(options: ProxyOptionsInput | ProxyOptions, deps: StratumProxyDeps = {}) {
    this.options = parseProxyOptions(options);
    this.#logger = deps.logger ?? silentLogger;
    this.#now = deps.now ?? Date.now;
    this.#emit = deps.emit ?? (() => {});
  }

  /** The port miners connect to, once listening. */
  get port(): number | undefined {
    return this.#listening?.port;
  }

  /** Listening, and at least one pool connection is logged in (or, in passthrough, none is needed yet). */
  get healthy(): boolean {
    if (this.#state !== 'running' || !this.#engine) return false;
    const { active, total } = this.#engine.upstreamCounts();
    return active > 0 || (this.options.mode === 'passthrough' && total === 0);
  }

  /** Listens and opens the first upstream. Rejects when the address cannot be bound. */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.#state !== 'idle') throw new Error('a StratumProxy starts once');
    this.#state = 'starting';
    signal?.throwIfAborted();
    const options = this.options;
    const now = this.#now;
    const traffic: TrafficCounters = { bytesIn: 0, bytesOut: 0, messagesIn: 0, closedByReason: {} };
    const hashesPerDifficulty = HASHES_PER_DIFFICULTY[options.protocol];
    const workers = new WorkerStats({
      maxWorkers: options.limits.maxWorkers,
      offlineTtlMs: options.limits.workerTtlMs,
      hashesPerDifficulty,
      now,
    });
    this.#totals = new WorkerStats({ maxWorkers: 1, offlineTtlMs: 1, hashesPerDifficulty, now });
    const totalRecord = this.#totals.connect('(proxy)');
    this.#totalRecord = totalRecord;
    const totals = this.#totals;
    const shares: ShareTotals = { accepted: 0, rejected: 0, invalid: 0, stale: 0 };
    const emit = this.#emit;
    const selector = new PoolSelector(options, (from, to, reason) => {
      this.#logger.warn(
        { from: from.target.display, to: to.target.display, reason },
        'pool failover',
      );
      emit('proxy.upstream.failover', { from: from.target.display, to: to.target.display, reason });
      if (reason === 'failure') this.#nextPrimaryProbe = now() + options.failover.primaryRetryMs;
    });
    const ctx = {
      options,
      logger: this.#logger,
      now,
      workers,
      selector,
      traffic,
      shares,
      upstreamTraffic: { bytesIn: 0, bytesOut: 0 },
      emit,
      stopping: false,
      workerJoined(connection: DownstreamConnection, name: string): WorkerRecord {
        const worker = workers.connect(name);
        connection.markLoggedIn(now());
        emit('proxy.worker.connected', {
          worker: name,
          address: connection.address,
          connectionId: connection.id,
        });
        return worker;
      },
      workerLeft(
        connection: DownstreamConnection,
        worker: WorkerRecord,
        name: string,
        reason: CloseReason,
      ): void {
        workers.disconnect(worker);
        emit('proxy.worker.disconnected', {
          worker: name,
          address: connection.address,
          connectionId: connection.id,
          reason,
        });
      },
      recordShare(worker: WorkerRecord, result: ShareResult, difficulty: number) {
        workers.share(worker, result, difficulty);
        totals.share(totalRecord, result, difficulty);
        shares[result]++;
      },
    };
    this.#ctx = ctx;
    const engine = makeEngine(ctx);
    this.#engine = engine;
    const server = new DownstreamServer({
      limits: options.limits,
      counters: traffic,
      accept: (connection) => engine.accept(connection),
      logger: this.#logger,
      now,
    });
    this.#server = server;
    try {
      const port = await server.listen(options.listen.host, options.listen.port);
      this.#listening = { host: options.listen.host, port };
    } catch (error) {
      this.#state = 'stopped';
      await server.close();
      throw error;
    }
    this.#startedAt = now();
    this.#nextWorkerSweep = now() + WORKER_SWEEP_MS;
    engine.start();
    this.#tick = setInterval(() => this.#onTick(), TICK_MS);
    this.#state = 'running';
    this.#logger.info(
      { port: this.#listening.port, protocol: options.protocol, mode: options.mode },
      'stratum proxy listening',
    );
  }

  /** Closes the listener, every miner and pool connection, and every timer. Idempotent. */
  async stop(): Promise<void> {
    if (this.#state === 'stopped' || this.#state === 'idle') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    if (this.#ctx) this.#ctx.stopping = true;
    clearInterval(this.#tick);
    this.#tick = undefined;
    this.#probing?.abort();
    this.#engine?.stop();
    await this.#server?.close();
    this.#listening = undefined;
    this.#state = 'stopped';
  }

  /** Proxy totals, upstreams and limits hit. */
  stats(): ProxyStats {
    const ctx = this.#ctx;
    const server = this.#server;
    const upstreams = this.#engine?.upstreams() ?? [];
    const total =
      this.#totals && this.#totalRecord ? this.#totals.get(this.#totalRecord.name) : undefined;
    return {
      protocol: this.options.protocol,
      mode: this.options.mode,
      listening: this.#listening ? { ...this.#listening } : undefined,
      startedAt: this.#startedAt,
      pool: ctx?.selector.current.target.display,
      onPrimary: ctx?.selector.onPrimary ?? true,
      miners: {
        now: server?.size ?? 0,
        max: server?.peak ?? 0,
        refused: server?.refused ?? { global: 0, perIp: 0 },
      },
      upstreams: {
        active: upstreams.filter((upstream) => upstream.up).length,
        total: upstreams.length,
        list: upstreams,
      },
      shares: { ...(ctx?.shares ?? { accepted: 0, rejected: 0, invalid: 0, stale: 0 }) },
      hashrate: {
        '1m': total?.hashrate1m ?? 0,
        '10m': total?.hashrate10m ?? 0,
        '1h': total?.hashrate1h ?? 0,
      },
      workers: {
        known: ctx?.workers.size ?? 0,
        online: ctx?.workers.online ?? 0,
        folded: ctx?.workers.folded ?? 0,
      },
      bytes: {
        downstreamIn: ctx?.traffic.bytesIn ?? 0,
        downstreamOut: ctx?.traffic.bytesOut ?? 0,
        upstreamIn: ctx?.upstreamTraffic.bytesIn ?? 0,
        upstreamOut: ctx?.upstreamTraffic.bytesOut ?? 0,
      },
      closed: { ...(ctx?.traffic.closedByReason ?? {}) },
    };
  }

  /** Per-worker statistics, most recently active first. */
  workers(options: { limit?: number; offset?: number } = {}): WorkerSnapshot[] {
    return this.#ctx?.workers.list(options) ?? [];
  }

  #onTick(): void {
    const ctx = this.#ctx;
    const engine = this.#engine;
    if (!ctx || !engine) return;
    const now = this.#now();
    engine.tick(now);
    if (now >= this.#nextWorkerSweep) {
      this.#nextWorkerSweep = now + WORKER_SWEEP_MS;
      ctx.workers.sweep();
    }
    if (!ctx.selector.onPrimary && !this.#probing && now >= this.#nextPrimaryProbe) {
      this.#nextPrimaryProbe = now + this.options.failover.primaryRetryMs;
      void this.#probePrimary(ctx, engine);
    }
  }

  async #probePrimary(ctx: ProxyContext, engine: ProxyEngine): Promise<void> {
    const probing = new AbortController();
    this.#probing = probing;
    try {
      const primary = ctx.selector.pools[0];
      if (!primary) return;
      const ok = await probePool(primary, this.options, probing.signal);
      if (!ok || probing.signal.aborted || ctx.stopping) return;
      ctx.selector.returnToPrimary();
      engine.returnToPrimary();
    } finally {
      if (this.#probing === probing) this.#probing = undefined;
    }
  }
}

function makeEngine(ctx: ProxyContext): ProxyEngine {
  const { protocol, mode } = ctx.options;
  if (mode === 'passthrough') {
    return new PassthroughEngine(
      ctx,
      protocol === 'cryptonote' ? cryptonotePassthroughDialect : stratumV1PassthroughDialect,
    );
  }
  return protocol === 'cryptonote'
    ? new AggregateEngine(ctx, cryptonoteAggregateDialect(ctx))
    : new AggregateEngine(ctx, stratumV1AggregateDialect(ctx));
}

/** Creates a proxy (no I/O until `start()`). */
export function createStratumProxy(
  options: ProxyOptionsInput | ProxyOptions,
  deps: StratumProxyDeps = {},
): StratumProxy {
  return new StratumProxy(options, deps);
}
