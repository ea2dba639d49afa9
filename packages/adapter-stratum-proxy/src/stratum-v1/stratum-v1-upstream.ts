import type { AggregateUpstream } from '../aggregate/aggregate-engine.js';
import { SlotAllocator } from '../aggregate/slot-allocator.js';
import { PROXY_AGENT } from '../proxy/proxy-agent.js';
import type { ProxyContext } from '../proxy/proxy-context.js';
import { ShareLedger } from '../shares/share-ledger.js';
import type { PoolEntry } from '../upstream/pool-selector.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import { UpstreamLink } from '../upstream/upstream-link.js';
import type { JsonRpcMessage } from '../wire/json-rpc.js';
import type { StratumV1AggregateSession } from './stratum-v1-aggregate-session.js';
import {
  parseSv1Notify,
  parseSv1SetDifficulty,
  parseSv1SetExtranonce,
  parseSv1SubscribeResult,
} from './stratum-v1-messages.js';

/**
 * One aggregate Stratum V1 upstream: a pool subscription whose extranonce2 space is split
 * into per-miner prefixes of 1 or 2 bytes (256 or 65,536 miners). Everything a miner is sent
 * except its extranonce is the same line for all of them.
 */
export class StratumV1Upstream implements AggregateUpstream {
  readonly link: UpstreamLink;
  readonly slots: SlotAllocator;
  readonly prefixBytes: number;
  readonly sessions = new Set<StratumV1AggregateSession>();
  readonly ledger: ShareLedger;
  extranonce1 = '';
  extranonce2Size = 0;
  /** Version-rolling mask the pool granted (`undefined`: none). */
  versionMask: string | undefined;
  difficulty = 0;
  difficultyLine: string | undefined;
  notifyLine: string | undefined;
  /**
   * Put in front of every job id sent to miners, new for every pool connection. Pools often
   * number jobs from 1 again after a reconnect: without the tag, a share a miner made for the
   * old connection's job "5" (with the old extranonce) would go to the new connection's "5"
   * and be rejected there as low difficulty. With it, such a share is answered here as stale.
   */
  jobTag = '';
  #connections = 0;
  /** The pool user submits go out as. */
  user = '';
  emptySince: number | undefined;
  readonly #ctx: ProxyContext;

  constructor(ctx: ProxyContext, id: number) {
    this.#ctx = ctx;
    this.prefixBytes = ctx.options.aggregate.extranoncePrefixBytes;
    this.slots = new SlotAllocator(this.prefixBytes === 2 ? 65_536 : 256);
    this.ledger = new ShareLedger({ maxSharesPerJob: ctx.options.limits.maxSharesPerJob });
    this.emptySince = ctx.now();
    this.link = new UpstreamLink(ctx, {
      id,
      reconnect: true,
      handshake: (connection, pool) => this.#handshake(connection, pool),
      onNotification: (message) => this.#notification(message),
      onUp: () => this.#announceAll(),
      onDown: () => {
        this.notifyLine = undefined;
        // The next connection's job ids mean nothing for this one's: a share for an old job
        // is stale here, never forwarded to a pool that may reuse the id.
        this.ledger.reset();
      },
    });
  }

  /** Miners can subscribe now. */
  get ready(): boolean {
    return this.link.up;
  }

  /** The extranonce2 size left to a miner after its prefix. */
  get minerExtranonce2Size(): number {
    return this.extranonce2Size - this.prefixBytes;
  }

  async #handshake(connection: UpstreamConnection, pool: PoolEntry): Promise<void> {
    // Jobs may arrive before the handshake ends: tag them with this connection's tag already.
    this.jobTag = `${(++this.#connections).toString(36)}.`;
    this.user = pool.user ?? '';
    this.versionMask = undefined;
    const configure = await connection.call('mining.configure', [
      ['version-rolling'],
      { 'version-rolling.mask': 'ffffffff', 'version-rolling.min-bit-count': 0 },
    ]);
    const granted = configure.result as Record<string, unknown> | null | undefined;
    if (granted && granted['version-rolling'] === true) {
      const mask = granted['version-rolling.mask'];
      if (typeof mask === 'string' && /^[0-9a-fA-F]{8}$/.test(mask)) this.versionMask = mask;
    }
    const subscribe = await connection.call('mining.subscribe', [PROXY_AGENT]);
    const extranonce = parseSv1SubscribeResult(subscribe.result);
    if (typeof extranonce === 'string') throw new Error(`subscribe refused: ${extranonce}`);
    if (extranonce.extranonce2Size - this.prefixBytes < 1) {
      throw new Error(
        `pool extranonce2_size ${extranonce.extranonce2Size} leaves no room for a ${this.prefixBytes}-byte miner prefix`,
      );
    }
    this.extranonce1 = extranonce.extranonce1;
    this.extranonce2Size = extranonce.extranonce2Size;
    connection.request('mining.extranonce.subscribe', [], ignoreReply);
    const authorize = await connection.call('mining.authorize', [this.user, pool.pass]);
    if (authorize.result !== true) throw new Error('authorize refused by the pool');
  }

  #notification(message: JsonRpcMessage): void {
    switch (message.method) {
      case 'mining.notify': {
        const job = parseSv1Notify(message.params);
        if (typeof job === 'string') {
          this.#ctx.logger.warn({ reason: job }, 'pool sent an unusable job');
          return;
        }
        this.ledger.setJob(job.jobId, job.clean);
        this.slots.rotate();
        const params = [this.jobTag + job.jobId, ...job.params.slice(1)];
        this.notifyLine = `${JSON.stringify({ id: null, method: 'mining.notify', params })}\n`;
        if (this.link.up) this.#broadcast(this.notifyLine);
        return;
      }
      case 'mining.set_difficulty': {
        const difficulty = parseSv1SetDifficulty(message.params);
        if (typeof difficulty !== 'number') return;
        this.difficulty = difficulty;
        this.difficultyLine = `${JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [difficulty] })}\n`;
        if (this.link.up) this.#broadcast(this.difficultyLine);
        return;
      }
      case 'mining.set_extranonce': {
        const extranonce = parseSv1SetExtranonce(message.params);
        if (typeof extranonce === 'string') return;
        if (extranonce.extranonce2Size - this.prefixBytes < 1) {
          this.link.reconnectNow();
          return;
        }
        this.extranonce1 = extranonce.extranonce1;
        this.extranonce2Size = extranonce.extranonce2Size;
        for (const session of [...this.sessions]) session.extranonceChanged();
        return;
      }
      case 'client.reconnect':
        // The pool wants this connection elsewhere; reconnect through the failover list.
        this.link.reconnectNow();
        return;
      default:
        return;
    }
  }

  #announceAll(): void {
    for (const session of [...this.sessions]) session.upstreamReady();
  }

  #broadcast(line: string): void {
    for (const session of this.sessions) session.sendShared(line);
  }
}

function ignoreReply(): void {}
