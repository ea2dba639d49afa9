import { randomBytes } from 'node:crypto';
import type { AggregateUpstream } from '../aggregate/aggregate-engine.js';
import { SlotAllocator } from '../aggregate/slot-allocator.js';
import { PROXY_AGENT } from '../proxy/proxy-agent.js';
import type { ProxyContext } from '../proxy/proxy-context.js';
import { ShareLedger } from '../shares/share-ledger.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import { UpstreamLink } from '../upstream/upstream-link.js';
import type { JsonRpcMessage } from '../wire/json-rpc.js';
import type { CryptoNoteAggregateSession } from './cryptonote-aggregate-session.js';
import { CryptoNoteJobLine } from './cryptonote-job-line.js';
import { parseCnJob } from './cryptonote-messages.js';
import { targetToDifficulty } from './target.js';

/**
 * One aggregate upstream: a pool login shared by up to 256 miners, each owning one value of the
 * nonce's top byte (the nicehash byte). Keeps the current and previous job for share checks.
 */
export class CryptoNoteUpstream implements AggregateUpstream {
  readonly link: UpstreamLink;
  readonly slots = new SlotAllocator(256);
  readonly sessions = new Set<CryptoNoteAggregateSession>();
  readonly ledger: ShareLedger;
  /** The id the pool gave our login (sent with every submit). */
  loginId = '';
  jobLine: CryptoNoteJobLine | undefined;
  /** Difficulty of the current job (for the hashrate estimate). */
  difficulty = 0;
  /** When the last miner left (for the idle close); undefined while it has miners. */
  emptySince: number | undefined;
  #keepaliveAt = 0;
  readonly #ctx: ProxyContext;

  constructor(ctx: ProxyContext, id: number) {
    this.#ctx = ctx;
    this.ledger = new ShareLedger({ maxSharesPerJob: ctx.options.limits.maxSharesPerJob });
    this.emptySince = ctx.now();
    this.link = new UpstreamLink(ctx, {
      id,
      reconnect: true,
      handshake: (connection, pool) => this.#login(connection, pool.user ?? '', pool.pass),
      onNotification: (message) => this.#notification(message),
      onUp: () => this.#up(),
      onDown: () => {
        this.jobLine = undefined;
        // A share for the lost connection's jobs is stale, not something for the next pool.
        this.ledger.reset();
      },
    });
  }

  /** Miners can be given a job now. */
  get ready(): boolean {
    return this.link.up && this.jobLine !== undefined;
  }

  /** Sends a keepalive when the pool allows it and it is due. */
  tick(now: number): void {
    const connection = this.link.connection;
    if (!connection || !this.link.pool?.keepalive || now < this.#keepaliveAt) return;
    this.#keepaliveAt = now + this.#ctx.options.keepaliveMs;
    connection.request('keepalived', { id: this.loginId }, ignoreReply);
  }

  async #login(connection: UpstreamConnection, login: string, pass: string): Promise<void> {
    const reply = await connection.call('login', { login, pass, agent: PROXY_AGENT });
    const result = reply.result as { id?: unknown; job?: unknown } | null | undefined;
    if (reply.error || typeof result?.id !== 'string') {
      throw new Error(`login refused: ${describeError(reply.error)}`);
    }
    this.loginId = result.id;
    this.#keepaliveAt = this.#ctx.now() + this.#ctx.options.keepaliveMs;
    const job = parseCnJob(result.job);
    if (typeof job === 'string') throw new Error(`login result has no usable job: ${job}`);
    this.#setJob(job, false);
  }

  #up(): void {
    // Miners waiting for a job (logins during a reconnect) get their login result or a job now.
    for (const session of this.sessions) session.upstreamReady();
  }

  #notification(message: JsonRpcMessage): void {
    if (message.method !== 'job') return;
    const job = parseCnJob(message.params);
    if (typeof job === 'string') {
      this.#ctx.logger.warn({ reason: job }, 'pool sent an unusable job');
      return;
    }
    this.#setJob(job, true);
  }

  #setJob(job: ReturnType<typeof parseCnJob> & object, broadcast: boolean): void {
    const line = new CryptoNoteJobLine(job);
    this.jobLine = line;
    this.difficulty = targetToDifficulty(job.target) ?? 0;
    this.ledger.setJob(job.jobId, false);
    // Slots freed during the last job become usable: their old owners' nonces are now stale.
    this.slots.rotate();
    if (!broadcast || !this.link.up) return;
    for (const session of this.sessions) session.sendJob(line);
  }
}

function ignoreReply(): void {}

function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return 'no result';
}

/** A random id for a miner's login result (what it sends back with every submit). */
export function newMinerId(): string {
  return randomBytes(8).toString('hex');
}
