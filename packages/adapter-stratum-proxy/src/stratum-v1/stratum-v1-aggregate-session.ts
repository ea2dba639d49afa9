import type { AggregateDialect, AggregateEngine } from '../aggregate/aggregate-engine.js';
import type {
  CloseReason,
  DownstreamConnection,
  DownstreamHandler,
  InvalidLine,
} from '../downstream/downstream-connection.js';
import type { ProxyContext } from '../proxy/proxy-context.js';
import type { WorkerRecord } from '../stats/worker-stats.js';
import type { JsonRpcId, JsonRpcMessage } from '../wire/json-rpc.js';
import {
  parseSv1Authorize,
  parseSv1Configure,
  parseSv1Submit,
  SV1_ERROR,
} from './stratum-v1-messages.js';
import { StratumV1Upstream } from './stratum-v1-upstream.js';

/** Messages held while the miner's upstream connects. */
const MAX_QUEUED = 8;

/** One miner behind an aggregate Stratum V1 upstream, owning one extranonce2 prefix. */
export class StratumV1AggregateSession implements DownstreamHandler {
  readonly #ctx: ProxyContext;
  readonly #connection: DownstreamConnection;
  readonly #engine: AggregateEngine<StratumV1Upstream>;
  #upstream: StratumV1Upstream | undefined;
  #slot = -1;
  #prefix = '';
  #queue: JsonRpcMessage[] | undefined;
  #subscribed = false;
  #extranonceSubscribed = false;
  /** `extranonce1:size` as last told to the miner. */
  #announced = '';
  #worker: WorkerRecord | undefined;
  #workerName = '';
  #minerMask: string | undefined;

  constructor(
    ctx: ProxyContext,
    connection: DownstreamConnection,
    engine: AggregateEngine<StratumV1Upstream>,
  ) {
    this.#ctx = ctx;
    this.#connection = connection;
    this.#engine = engine;
  }

  onMessage(message: JsonRpcMessage): void {
    if (message.method === undefined) return;
    if (this.#queue) {
      if (this.#queue.length >= MAX_QUEUED) this.#connection.close('protocol');
      else this.#queue.push(message);
      return;
    }
    if (!this.#upstream) {
      if (message.method !== 'mining.subscribe' && message.method !== 'mining.configure') {
        this.#error(message.id, SV1_ERROR.NOT_SUBSCRIBED, 'Not subscribed');
        return;
      }
      const { upstream, slot } = this.#engine.assign();
      this.#upstream = upstream;
      this.#slot = slot;
      this.#prefix = slot.toString(16).padStart(upstream.prefixBytes * 2, '0');
      upstream.sessions.add(this);
      if (!upstream.ready) {
        this.#queue = [message];
        return;
      }
    }
    this.#handle(message);
  }

  onInvalid(problem: InvalidLine): string {
    return `${JSON.stringify({ id: null, result: null, error: [SV1_ERROR.OTHER, problem.message, problem.code] })}\n`;
  }

  onClose(reason: CloseReason): void {
    this.#queue = undefined;
    const upstream = this.#upstream;
    if (upstream) {
      this.#engine.release(upstream, this.#slot, this);
      this.#upstream = undefined;
    }
    if (this.#worker) {
      this.#ctx.workerLeft(this.#connection, this.#worker, this.#workerName, reason);
      this.#worker = undefined;
    }
  }

  /** The upstream logged in (first time or after a reconnect). */
  upstreamReady(): void {
    const queued = this.#queue;
    if (queued) {
      this.#queue = undefined;
      for (const message of queued) {
        if (this.#connection.closed) return;
        this.#handle(message);
      }
      return;
    }
    if (this.#subscribed && this.#announced !== this.#extranonceKey()) this.extranonceChanged();
    this.#sendWork();
  }

  /** The upstream's extranonce1 or size changed. */
  extranonceChanged(): void {
    const upstream = this.#upstream;
    if (!upstream || !this.#subscribed) return;
    if (!this.#extranonceSubscribed) {
      // It cannot be told: ask it to reconnect (to us) and subscribe again.
      this.#connection.close(
        'reconnect',
        `${JSON.stringify({ id: null, method: 'client.reconnect', params: [] })}\n`,
      );
      return;
    }
    this.#announced = this.#extranonceKey();
    this.#connection.send({
      id: null,
      method: 'mining.set_extranonce',
      params: [upstream.extranonce1 + this.#prefix, upstream.minerExtranonce2Size],
    });
  }

  /** A line every miner of the upstream gets (job, difficulty). */
  sendShared(line: string): void {
    if (this.#worker && this.#subscribed) this.#connection.sendLine(line);
  }

  #handle(message: JsonRpcMessage): void {
    const upstream = this.#upstream as StratumV1Upstream;
    switch (message.method) {
      case 'mining.configure':
        this.#configure(message, upstream);
        return;
      case 'mining.subscribe':
        this.#subscribed = true;
        this.#announced = this.#extranonceKey();
        this.#reply(message.id, [
          [
            ['mining.set_difficulty', this.#prefix],
            ['mining.notify', this.#prefix],
          ],
          upstream.extranonce1 + this.#prefix,
          upstream.minerExtranonce2Size,
        ]);
        return;
      case 'mining.extranonce.subscribe':
        this.#extranonceSubscribed = true;
        this.#reply(message.id, true);
        return;
      case 'mining.authorize':
        this.#authorize(message);
        return;
      case 'mining.submit':
        this.#submit(message, upstream);
        return;
      case 'mining.suggest_difficulty':
        this.#reply(message.id, true);
        return;
      default:
        this.#error(message.id, SV1_ERROR.OTHER, `Unsupported method "${message.method}"`);
    }
  }

  #configure(message: JsonRpcMessage, upstream: StratumV1Upstream): void {
    const request = parseSv1Configure(message.params);
    if (typeof request === 'string') {
      this.#error(message.id, SV1_ERROR.OTHER, request);
      return;
    }
    const result: Record<string, unknown> = {};
    for (const extension of request.extensions) {
      if (extension !== 'version-rolling') {
        result[extension] = false;
        continue;
      }
      const asked = request.params['version-rolling.mask'];
      const pool = upstream.versionMask;
      if (pool === undefined || (asked !== undefined && typeof asked !== 'string')) {
        result['version-rolling'] = false;
        continue;
      }
      const minerMask =
        typeof asked === 'string' && /^[0-9a-fA-F]{1,8}$/.test(asked) ? asked : 'ffffffff';
      const mask = (Number.parseInt(minerMask, 16) & Number.parseInt(pool, 16)) >>> 0;
      this.#minerMask = mask.toString(16).padStart(8, '0');
      result['version-rolling'] = true;
      result['version-rolling.mask'] = this.#minerMask;
    }
    this.#reply(message.id, result);
  }

  #authorize(message: JsonRpcMessage): void {
    const request = parseSv1Authorize(message.params);
    if (typeof request === 'string') {
      this.#error(message.id, SV1_ERROR.UNAUTHORIZED, request);
      return;
    }
    this.#reply(message.id, true);
    if (this.#worker) return;
    this.#workerName = request.user;
    this.#worker = this.#ctx.workerJoined(this.#connection, request.user);
    this.#sendWork();
  }

  #sendWork(): void {
    const upstream = this.#upstream;
    if (!upstream || !this.#worker || !this.#subscribed) return;
    if (upstream.difficultyLine) this.#connection.sendLine(upstream.difficultyLine);
    if (upstream.notifyLine) this.#connection.sendLine(upstream.notifyLine);
  }

  #submit(message: JsonRpcMessage, upstream: StratumV1Upstream): void {
    const worker = this.#worker;
    if (!this.#subscribed) {
      this.#error(message.id, SV1_ERROR.NOT_SUBSCRIBED, 'Not subscribed');
      return;
    }
    if (!worker) {
      this.#error(message.id, SV1_ERROR.UNAUTHORIZED, 'Unauthorized worker');
      return;
    }
    this.#connection.touch(this.#ctx.now());
    const share = parseSv1Submit(message.params);
    if (typeof share === 'string') {
      this.#invalid(message.id, worker, SV1_ERROR.OTHER, share);
      return;
    }
    if (share.extranonce2.length !== upstream.minerExtranonce2Size * 2) {
      this.#invalid(message.id, worker, SV1_ERROR.OTHER, 'Incorrect size of extranonce2');
      return;
    }
    if (share.versionBits !== undefined && this.#minerMask === undefined) {
      this.#invalid(message.id, worker, SV1_ERROR.OTHER, 'Version rolling not negotiated');
      return;
    }
    const connection = upstream.link.connection;
    if (!connection) {
      this.#error(message.id, SV1_ERROR.OTHER, 'Pool unavailable, share not sent');
      return;
    }
    // The full extranonce2 (prefix included): two miners' own parts may be equal.
    const key =
      this.#prefix + share.extranonce2 + share.ntime + share.nonce + (share.versionBits ?? '');
    // A job of an earlier pool connection (another tag) is stale whatever its id.
    const jobId = share.jobId.startsWith(upstream.jobTag)
      ? share.jobId.slice(upstream.jobTag.length)
      : undefined;
    const verdict = jobId === undefined ? 'unknown-job' : upstream.ledger.check(jobId, key);
    if (verdict !== 'ok') {
      if (verdict === 'duplicate') {
        this.#invalid(message.id, worker, SV1_ERROR.DUPLICATE, 'Duplicate share');
      } else if (verdict === 'full') {
        this.#invalid(message.id, worker, SV1_ERROR.OTHER, 'Too many shares for this job');
      } else {
        this.#ctx.recordShare(worker, 'stale', 0);
        this.#error(message.id, SV1_ERROR.JOB_NOT_FOUND, 'Job not found');
      }
      return;
    }
    const params = [
      upstream.user,
      jobId as string,
      this.#prefix + share.extranonce2,
      share.ntime,
      share.nonce,
    ];
    if (share.versionBits !== undefined) params.push(share.versionBits);
    const difficulty = upstream.difficulty;
    const id = message.id;
    connection.request('mining.submit', params, (reply, failure) => {
      if (!reply) {
        this.#error(
          id,
          SV1_ERROR.OTHER,
          failure === 'upstream timeout' ? 'Pool timeout' : 'Pool unavailable',
        );
        return;
      }
      if (reply.result === true) {
        this.#ctx.recordShare(worker, 'accepted', difficulty);
        this.#reply(id, true);
        return;
      }
      const code =
        Array.isArray(reply.error) && typeof reply.error[0] === 'number'
          ? reply.error[0]
          : SV1_ERROR.OTHER;
      const text =
        Array.isArray(reply.error) && typeof reply.error[1] === 'string'
          ? reply.error[1].slice(0, 256)
          : 'Rejected';
      const result = code === SV1_ERROR.JOB_NOT_FOUND ? 'stale' : 'rejected';
      this.#ctx.recordShare(worker, result, difficulty);
      this.#error(id, code, text);
    });
  }

  #extranonceKey(): string {
    const upstream = this.#upstream;
    return upstream ? `${upstream.extranonce1}:${upstream.extranonce2Size}` : '';
  }

  #invalid(id: JsonRpcId, worker: WorkerRecord, code: number, message: string): void {
    this.#ctx.recordShare(worker, 'invalid', 0);
    this.#error(id, code, message);
  }

  #reply(id: JsonRpcId, result: unknown): void {
    this.#connection.send({ id, result, error: null });
  }

  #error(id: JsonRpcId, code: number, message: string): void {
    this.#connection.send({ id, result: null, error: [code, message, null] });
  }
}

/** Stratum V1's plug for the aggregate engine. */
export function stratumV1AggregateDialect(ctx: ProxyContext): AggregateDialect<StratumV1Upstream> {
  return {
    openUpstream: (id) => new StratumV1Upstream(ctx, id),
    accept: (connection, engine) => new StratumV1AggregateSession(ctx, connection, engine),
  };
}
