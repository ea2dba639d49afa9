import type {
  CloseReason,
  DownstreamConnection,
  DownstreamHandler,
  InvalidLine,
} from '../downstream/downstream-connection.js';
import type { ProxyContext } from '../proxy/proxy-context.js';
import type { WorkerRecord } from '../stats/worker-stats.js';
import type { UpstreamConnection } from '../upstream/upstream-connection.js';
import { UpstreamLink } from '../upstream/upstream-link.js';
import type { JsonRpcMessage } from '../wire/json-rpc.js';
import type { PassthroughDialect } from './passthrough-dialect.js';

/** Messages held while the pool connection opens; a miner that sends more is closed. */
const MAX_QUEUED = 16;

/**
 * One miner with its own pool connection. Requests are forwarded with the proxy's ids and the
 * replies returned with the miner's; pool messages are relayed as they came. When the pool
 * connection ends the miner is disconnected, and its reconnect goes to the selector's pool.
 */
export class PassthroughSession implements DownstreamHandler {
  readonly #ctx: ProxyContext;
  readonly #connection: DownstreamConnection;
  readonly #dialect: PassthroughDialect;
  readonly #linkId: number;
  readonly #onLinkChange: (link: UpstreamLink, open: boolean) => void;
  #link: UpstreamLink | undefined;
  #queue: JsonRpcMessage[] = [];
  #worker: WorkerRecord | undefined;
  #workerName = '';
  #difficulty = 0;

  constructor(
    ctx: ProxyContext,
    connection: DownstreamConnection,
    dialect: PassthroughDialect,
    linkId: number,
    onLinkChange: (link: UpstreamLink, open: boolean) => void,
  ) {
    this.#ctx = ctx;
    this.#connection = connection;
    this.#dialect = dialect;
    this.#linkId = linkId;
    this.#onLinkChange = onLinkChange;
  }

  onMessage(message: JsonRpcMessage): void {
    const method = message.method;
    if (method === undefined) return; // miners do not answer pools through us
    if (!this.#dialect.forwarded.has(method)) {
      this.#connection.sendLine(
        this.#dialect.errorLine(message.id, `Unsupported method "${method}"`),
      );
      return;
    }
    if (this.#dialect.keepalive.has(method) || method === this.#dialect.submit) {
      this.#connection.touch(this.#ctx.now());
    }
    const connection = this.#link?.connection;
    if (connection) {
      this.#forward(connection, message);
      return;
    }
    if (!this.#link) {
      if (!this.#dialect.opening.has(method)) {
        this.#connection.sendLine(this.#dialect.notOpenedLine(message.id));
        return;
      }
      this.#open();
    }
    if (this.#queue.length >= MAX_QUEUED) {
      this.#connection.close('protocol');
      return;
    }
    this.#queue.push(message);
  }

  onInvalid(problem: InvalidLine): string {
    return this.#dialect.errorLine(null, problem.message, problem.code);
  }

  onClose(reason: CloseReason): void {
    this.#queue = [];
    const link = this.#link;
    this.#link = undefined;
    if (link) {
      link.stop();
      this.#onLinkChange(link, false);
    }
    if (this.#worker) {
      this.#ctx.workerLeft(this.#connection, this.#worker, this.#workerName, reason);
      this.#worker = undefined;
    }
  }

  #open(): void {
    const link = new UpstreamLink(this.#ctx, {
      id: this.#linkId,
      reconnect: false,
      handshake: async () => {},
      onNotification: (message) => this.#fromPool(message),
      onUp: (connection) => {
        const queued = this.#queue;
        this.#queue = [];
        for (const message of queued) this.#forward(connection, message);
      },
      onDown: () => {
        // stop() closes the pool links first: the miner goes because of the shutdown.
        if (this.#link === link) {
          this.#connection.close(this.#ctx.stopping ? 'shutdown' : 'upstream');
        }
      },
    });
    this.#link = link;
    this.#onLinkChange(link, true);
    link.start();
  }

  #fromPool(message: JsonRpcMessage): void {
    const difficulty = this.#dialect.difficulty(message);
    if (difficulty !== undefined) this.#difficulty = difficulty;
    this.#connection.send(message);
  }

  #forward(connection: UpstreamConnection, message: JsonRpcMessage): void {
    const method = message.method as string;
    const pool = this.#link?.pool;
    if (!pool) return;
    const params = this.#dialect.rewrite(method, message.params, pool);
    const name = this.#dialect.workerName(method, message.params);
    const isShare = method === this.#dialect.submit;
    const difficulty = this.#difficulty;
    const id = message.id;
    connection.request(method, params, (reply, failure) => {
      if (!reply) {
        this.#connection.sendLine(this.#dialect.errorLine(id, failure ?? 'Pool unavailable'));
        return;
      }
      const poolDifficulty = this.#dialect.difficulty(reply);
      if (poolDifficulty !== undefined) this.#difficulty = poolDifficulty;
      if (name !== undefined && this.#worker === undefined) {
        if (this.#dialect.loginAccepted(method, reply)) this.#loggedIn(name);
      }
      if (isShare && this.#worker) {
        const result = this.#dialect.shareResult(reply);
        this.#ctx.recordShare(this.#worker, result, difficulty);
      }
      reply.id = id;
      this.#connection.send(reply);
    });
  }

  #loggedIn(name: string): void {
    this.#workerName = name;
    this.#worker = this.#ctx.workerJoined(this.#connection, name);
  }
}
