import {
  JsonLineConnection,
  type JsonLineFailure,
  type JsonObject,
  type PendingRequest,
} from '../shared/json-line-connection.js';
import type { SimClock } from '../shared/sim-clock.js';
import type { StratumV1Share, StratumV1Work } from './share-finder.js';
import {
  type Extranonce,
  parseDifficulty,
  parseExtranonce,
  parseReconnect,
  parseStratumV1Notify,
  parseSubscribeResult,
  type Reconnect,
  type StratumV1Job,
} from './stratum-v1-job.js';

/** What happens on one Stratum V1 connection. Nothing is called after `close()`/`freeze()`. */
export interface StratumV1ClientListener {
  /** `mining.authorize` succeeded: the miner is logged in. */
  onAuthorized(): void;
  /** The pool refused the subscription or the login; the connection is closed. */
  onRefused(what: 'subscribe' | 'authorize'): void;
  /**
   * The work changed: a new job (`newJob`), or a new difficulty or extranonce for the current
   * one. Only after authorization, and only once a job and an extranonce are known.
   */
  onWork(work: StratumV1Work, newJob: boolean): void;
  /** A `mining.notify` that cannot be mined (`reason` is the simulator's words). */
  onBadJob(reason: string): void;
  /** A submit was answered: `error` is the pool's reason, `null` when accepted. */
  onResult(requestId: number, error: string | null, elapsedMs: number): void;
  /** `client.reconnect`: the connection is closed; connect to `target`. */
  onReconnect(target: Reconnect): void;
  /** A line that is not JSON. */
  onProtocolError(message: string): void;
  /** The connection failed (it is closed). */
  onClose(failure: JsonLineFailure): void;
}

/** How a {@link StratumV1Client} connects and logs in. */
export interface StratumV1ClientOptions {
  host: string;
  port: number;
  tls: boolean;
  /** `mining.authorize` login (`user.worker`) and password. */
  login: string;
  pass: string;
  /** The user agent sent with `mining.subscribe`. */
  agent: string;
  clock: SimClock;
  listener: StratumV1ClientListener;
  /** Send `mining.extranonce.subscribe` after the login (default true). */
  extranonceSubscribe?: boolean;
  /** Real ms for the connection and each answer (default 20 s). */
  timeoutMs?: number;
}

/** The reason text of a Stratum V1 error: `[code, message, data]`, `{message}` or a string. */
export function stratumErrorText(error: unknown): string | null {
  if (error === null || error === undefined || error === false) return null;
  if (Array.isArray(error)) return typeof error[1] === 'string' ? error[1] : String(error[1]);
  if (typeof error === 'object') {
    const message = (error as { message?: unknown }).message;
    return typeof message === 'string' ? message : 'unknown error';
  }
  return String(error);
}

/**
 * One Bitcoin Stratum V1 connection, as a GPU miner makes it (over the shared
 * {@link JsonLineConnection}, requests without `"jsonrpc"`):
 *
 * 1. `{"id":1,"method":"mining.subscribe","params":["<agent>"]}` → `[subscriptions,
 *    extranonce1, extranonce2_size]`;
 * 2. `{"id":2,"method":"mining.authorize","params":["<user.worker>","<pass>"]}` → `true`;
 * 3. `{"id":3,"method":"mining.extranonce.subscribe","params":[]}` (its answer is ignored);
 * 4. `mining.submit ["<user.worker>", job_id, extranonce2, ntime, nonce]` for each share.
 *
 * From the pool it takes `mining.set_difficulty` (applies at once), `mining.notify`,
 * `mining.set_extranonce`, `client.reconnect`, and answers `client.get_version`. Other
 * messages are ignored.
 */
export class StratumV1Client {
  readonly #options: StratumV1ClientOptions;
  readonly #connection: JsonLineConnection;
  #extranonce: Extranonce | undefined;
  #job: StratumV1Job | undefined;
  #difficulty = 1;
  #authorized = false;
  #closed = false;

  constructor(options: StratumV1ClientOptions) {
    this.#options = options;
    this.#connection = new JsonLineConnection({
      host: options.host,
      port: options.port,
      tls: options.tls,
      clock: options.clock,
      timeoutMs: options.timeoutMs ?? 20_000,
      handler: {
        onOpen: () => this.#connection.request('mining.subscribe', [options.agent]),
        onResponse: (message, request) => this.#onResponse(message, request),
        onMessage: (message) => this.#onMessage(message),
        onProtocolError: (message) => options.listener.onProtocolError(message),
        onFailure: (failure) => {
          this.#closed = true;
          options.listener.onClose(failure);
        },
      },
    });
  }

  get authorized(): boolean {
    return this.#authorized;
  }

  /** The current work, once logged in with a job and an extranonce. */
  get work(): StratumV1Work | undefined {
    if (!this.#authorized || !this.#job || !this.#extranonce) return undefined;
    return { job: this.#job, ...this.#extranonce, difficulty: this.#difficulty };
  }

  connect(): void {
    this.#connection.connect();
  }

  /** Sends a share; the request id, or `undefined` when it could not be sent. */
  submit(share: StratumV1Share): number | undefined {
    if (!this.#authorized || this.#closed) return undefined;
    return this.#connection.request('mining.submit', [
      this.#options.login,
      share.jobId,
      share.extranonce2,
      share.ntime,
      share.nonce,
    ]);
  }

  /** Ends the connection quietly. */
  close(): void {
    this.#closed = true;
    this.#connection.close();
  }

  /** Keeps the socket open but stops reading and writing (a hung miner). */
  freeze(): void {
    this.#closed = true;
    this.#connection.freeze();
  }

  #onResponse(message: JsonObject, request: PendingRequest): void {
    if (this.#closed) return;
    const { listener } = this.#options;
    const error = stratumErrorText(message.error);
    switch (request.method) {
      case 'mining.subscribe': {
        const extranonce = error === null ? parseSubscribeResult(message.result) : undefined;
        if (!extranonce) {
          this.close();
          listener.onRefused('subscribe');
          return;
        }
        this.#extranonce = extranonce;
        this.#connection.request('mining.authorize', [this.#options.login, this.#options.pass]);
        return;
      }
      case 'mining.authorize':
        if (message.result !== true || error !== null) {
          this.close();
          listener.onRefused('authorize');
          return;
        }
        this.#authorized = true;
        listener.onAuthorized();
        if (this.#options.extranonceSubscribe ?? true) {
          this.#connection.request('mining.extranonce.subscribe', []);
        }
        this.#emitWork(true);
        return;
      case 'mining.submit': {
        const accepted = message.result === true && error === null;
        listener.onResult(
          request.id,
          accepted ? null : (error ?? 'unknown reason'),
          Math.round(performance.now() - request.sentAt),
        );
        return;
      }
      default:
        // mining.extranonce.subscribe: pools without it answer an error, which is fine.
        return;
    }
  }

  #onMessage(message: JsonObject & { method: string }): void {
    if (this.#closed) return;
    const { params } = message;
    switch (message.method) {
      case 'mining.set_difficulty': {
        const difficulty = parseDifficulty(params);
        if (difficulty === undefined || difficulty === this.#difficulty) return;
        this.#difficulty = difficulty;
        this.#emitWork(false);
        return;
      }
      case 'mining.notify': {
        const job = parseStratumV1Notify(params);
        if (typeof job === 'string') {
          this.#options.listener.onBadJob(job);
          return;
        }
        this.#job = job;
        this.#emitWork(true);
        return;
      }
      case 'mining.set_extranonce': {
        const list = Array.isArray(params) ? params : [];
        const extranonce = parseExtranonce(list[0], list[1]);
        if (!extranonce) return;
        this.#extranonce = extranonce;
        this.#emitWork(false);
        return;
      }
      case 'client.reconnect': {
        const target = parseReconnect(params, this.#options);
        if (!target) return;
        this.close();
        this.#options.listener.onReconnect(target);
        return;
      }
      case 'client.get_version':
        if (message.id !== undefined && message.id !== null) {
          this.#connection.send({ id: message.id, result: this.#options.agent, error: null });
        }
        return;
      default:
        return;
    }
  }

  #emitWork(newJob: boolean): void {
    const work = this.work;
    if (work) this.#options.listener.onWork(work, newJob);
  }
}
