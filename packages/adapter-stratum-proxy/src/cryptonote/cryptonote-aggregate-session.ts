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
import { byteHex, type CryptoNoteJobLine } from './cryptonote-job-line.js';
import { parseCnLogin, parseCnSubmit } from './cryptonote-messages.js';
import { CryptoNoteUpstream, newMinerId } from './cryptonote-upstream.js';

const EXTENSIONS = ['algo', 'nicehash', 'keepalive'];
/** What follows the id in the reply to an accepted share. */
const ACCEPTED_TAIL = ',"jsonrpc":"2.0","error":null,"result":{"status":"OK"}}\n';

/** One miner behind an aggregate CryptoNote upstream. */
export class CryptoNoteAggregateSession implements DownstreamHandler {
  readonly #ctx: ProxyContext;
  readonly #connection: DownstreamConnection;
  readonly #engine: AggregateEngine<CryptoNoteUpstream>;
  #upstream: CryptoNoteUpstream | undefined;
  #slot = -1;
  #nonceByte = '';
  #minerId = '';
  #worker: WorkerRecord | undefined;
  #workerName = '';
  /** The login request waiting for the upstream's first job. */
  #loginRequestId: JsonRpcId | undefined;

  constructor(
    ctx: ProxyContext,
    connection: DownstreamConnection,
    engine: AggregateEngine<CryptoNoteUpstream>,
  ) {
    this.#ctx = ctx;
    this.#connection = connection;
    this.#engine = engine;
  }

  onMessage(message: JsonRpcMessage): void {
    switch (message.method) {
      case 'login':
        this.#login(message);
        return;
      case 'submit':
        this.#submit(message);
        return;
      case 'keepalived':
        this.#connection.touch(this.#ctx.now());
        this.#reply(message.id, { status: 'KEEPALIVED' });
        return;
      default:
        this.#error(message.id, `Unsupported method "${String(message.method ?? '')}"`);
    }
  }

  onInvalid(problem: InvalidLine): string {
    return `${JSON.stringify({ id: null, jsonrpc: '2.0', error: { code: -1, message: problem.message, rigkit: problem.code } })}\n`;
  }

  onClose(reason: CloseReason): void {
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

  /** The upstream (re)connected and has a job. */
  upstreamReady(): void {
    const line = this.#upstream?.jobLine;
    if (!line) return;
    if (this.#loginRequestId !== undefined) this.#finishLogin(line);
    else if (this.#connection.loggedIn) this.sendJob(line);
  }

  /** A new job from the pool. */
  sendJob(line: CryptoNoteJobLine): void {
    if (!this.#connection.loggedIn) return;
    this.#connection.sendLine(line.line(this.#minerId, this.#nonceByte));
  }

  #login(message: JsonRpcMessage): void {
    if (this.#upstream) {
      this.#error(message.id, 'Already logged in');
      return;
    }
    const login = parseCnLogin(message.params);
    if (typeof login === 'string') {
      this.#connection.close('protocol', this.#errorLine(message.id, login));
      return;
    }
    const { upstream, slot } = this.#engine.assign();
    this.#upstream = upstream;
    this.#slot = slot;
    this.#nonceByte = byteHex(slot);
    this.#minerId = newMinerId();
    this.#workerName = login.rigid || login.login;
    upstream.sessions.add(this);
    this.#loginRequestId = message.id;
    if (upstream.ready && upstream.jobLine) this.#finishLogin(upstream.jobLine);
    // Otherwise the upstream is connecting: upstreamReady() answers, or the login deadline
    // closes the connection.
  }

  #finishLogin(line: CryptoNoteJobLine): void {
    const id = this.#loginRequestId ?? null;
    this.#loginRequestId = undefined;
    this.#worker = this.#ctx.workerJoined(this.#connection, this.#workerName);
    this.#reply(id, {
      id: this.#minerId,
      job: line.object(this.#minerId, this.#nonceByte),
      extensions: EXTENSIONS,
      status: 'OK',
    });
  }

  #submit(message: JsonRpcMessage): void {
    const upstream = this.#upstream;
    const worker = this.#worker;
    if (!upstream || !worker) {
      this.#error(message.id, 'Unauthenticated');
      return;
    }
    const now = this.#ctx.now();
    this.#connection.touch(now);
    const share = parseCnSubmit(message.params);
    if (typeof share === 'string') {
      this.#invalid(message.id, worker, share);
      return;
    }
    if (share.id !== this.#minerId) {
      this.#invalid(message.id, worker, 'Unauthenticated');
      return;
    }
    if (share.nonce.slice(6, 8) !== this.#nonceByte) {
      // The miner ignored the nicehash byte: its nonce belongs to another miner's range.
      this.#invalid(message.id, worker, 'Invalid nonce; is miner not compatible with NiceHash?');
      return;
    }
    const connection = upstream.link.connection;
    if (!connection) {
      this.#error(message.id, 'Pool unavailable, share not sent');
      return;
    }
    const verdict = upstream.ledger.check(share.jobId, share.nonce);
    if (verdict !== 'ok') {
      if (verdict === 'duplicate') this.#invalid(message.id, worker, 'Duplicate share');
      else if (verdict === 'full')
        this.#invalid(message.id, worker, 'Too many shares for this job');
      else this.#stale(message.id, worker);
      return;
    }
    const difficulty = upstream.difficulty;
    const id = message.id;
    // JSON.stringify({ id, job_id, nonce, result, algo? }) built from its pieces: nonce and
    // result are validated lowercase hex, the other strings are escaped by JSON.stringify.
    const params = `{"id":${JSON.stringify(upstream.loginId)},"job_id":${JSON.stringify(share.jobId)},"nonce":"${share.nonce}","result":"${share.result}"${share.algo ? `,"algo":${JSON.stringify(share.algo)}` : ''}}`;
    connection.requestSerialized('submit', params, (reply, failure) => {
      if (!reply) {
        this.#error(id, failure === 'upstream timeout' ? 'Pool timeout' : 'Pool unavailable');
        return;
      }
      if (reply.error) {
        this.#ctx.recordShare(worker, 'rejected', difficulty);
        this.#connection.send({ id, jsonrpc: '2.0', error: sanitizeError(reply.error) });
        return;
      }
      this.#ctx.recordShare(worker, 'accepted', difficulty);
      // The same bytes as #reply(id, { status: 'OK' }), without serialising an object per share.
      this.#connection.sendLine(`{"id":${JSON.stringify(id)}${ACCEPTED_TAIL}`);
    });
  }

  #invalid(id: JsonRpcId, worker: WorkerRecord, message: string): void {
    this.#ctx.recordShare(worker, 'invalid', 0);
    this.#error(id, message);
  }

  #stale(id: JsonRpcId, worker: WorkerRecord): void {
    this.#ctx.recordShare(worker, 'stale', 0);
    this.#error(id, 'Block expired');
  }

  #reply(id: JsonRpcId, result: unknown): void {
    this.#connection.send({ id, jsonrpc: '2.0', error: null, result });
  }

  #error(id: JsonRpcId, message: string): void {
    this.#connection.sendLine(this.#errorLine(id, message));
  }

  #errorLine(id: JsonRpcId, message: string): string {
    return `${JSON.stringify({ id, jsonrpc: '2.0', error: { code: -1, message } })}\n`;
  }
}

/** A pool's error object, reduced to `{code, message}` with bounded text. */
export function sanitizeError(error: unknown): { code: number; message: string } {
  const value = (error ?? {}) as { code?: unknown; message?: unknown };
  const code = typeof value.code === 'number' && Number.isFinite(value.code) ? value.code : -1;
  const message = typeof value.message === 'string' ? value.message.slice(0, 256) : 'Rejected';
  return { code, message };
}

/** CryptoNote's plug for the aggregate engine. */
export function cryptonoteAggregateDialect(
  ctx: ProxyContext,
): AggregateDialect<CryptoNoteUpstream> {
  return {
    openUpstream: (id) => new CryptoNoteUpstream(ctx, id),
    accept: (connection, engine) => new CryptoNoteAggregateSession(ctx, connection, engine),
  };
}
