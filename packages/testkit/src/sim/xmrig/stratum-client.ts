import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import {
  JsonLineConnection,
  type JsonLineFailure,
  type PendingRequest,
} from '../shared/json-line-connection.js';
import type { CancelTimer, SimClock } from '../shared/sim-clock.js';
import { parseStratumJob, type StratumJob } from './stratum-job.js';
import { isDnsError, uvErrorMessage } from './uv-error-message.js';
import type { SimPool } from './xmrig-sim-options.js';

/** What the connection is, once the pool accepted the login. */
export interface StratumConnection {
  ip: string | null;
  /** The TLS version (`TLSv1.3`), or `null` on plain TCP. */
  tls: string | null;
  /** SHA-256 of the pool's certificate in lower-case hex, or `null` on plain TCP. */
  fingerprint: string | null;
}

/** A successful login. */
export interface StratumLogin {
  sessionId: string;
  /** The pool's `extensions` (`nicehash`, `keepalive`, `algo`…). */
  extensions: string[];
  /** The job embedded in the login result: parsed, unusable (the reason) or absent. */
  job: StratumJob | string | undefined;
}

/** Why a connection ended without {@link StratumClient.close} being called. */
export interface StratumClose {
  /** Which xmrig message fits: `connect error`, `DNS error`, `read error`, `write error`, `TLS error`. */
  kind: 'connect' | 'DNS' | 'read' | 'write' | 'TLS';
  message: string;
}

/** The share fields of a `submit` request. */
export interface StratumSubmit {
  jobId: string;
  nonce: string;
  result: string;
  algo: string | null;
}

/** Receives what happens on one connection. Nothing is called after `close()`. */
export interface StratumClientListener {
  onLogin(login: StratumLogin, connection: StratumConnection): void;
  onLoginError(message: string, code: number): void;
  onJob(job: StratumJob | string): void;
  /** A `submit` was answered: `error` is the pool's message, `null` when accepted. */
  onResult(requestId: number, error: string | null, elapsedMs: number): void;
  /** A line that is not JSON (xmrig logs it and carries on). */
  onProtocolError(message: string): void;
  onClose(reason: StratumClose): void;
}

/** How a {@link StratumClient} talks to its pool. */
export interface StratumClientOptions {
  pool: SimPool;
  /** The login `agent` (xmrig's user agent). */
  agent: string;
  /** The login `algo` list. */
  algorithms: readonly string[];
  clock: SimClock;
  listener: StratumClientListener;
  /** Simulated ms of silence before a `keepalived` when the pool has keepalive (xmrig: 60 s). */
  keepaliveMs?: number;
  /**
   * Real ms to wait for the connection and for each answer (xmrig: 20 s). Not scaled: a
   * pool's latency does not shrink because simulated time runs faster.
   */
  timeoutMs?: number;
  /** Longest line accepted from the pool. */
  maxLineBytes?: number;
  /** Most requests waiting for an answer; more submits are dropped. */
  maxPending?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One CryptoNote stratum connection, as xmrig's `Client` makes it: newline-delimited JSON-RPC
 * over TCP or TLS (the shared {@link JsonLineConnection}); `login` (login, pass, agent, rigid, algo list) as request 1, jobs from the
 * login result and from `job` notifications, `submit` with the session id, and `keepalived`
 * after a minute of silence when keepalive is on. A reconnect is a new instance.
 */
export class StratumClient {
  readonly #options: StratumClientOptions;
  #connection: JsonLineConnection | undefined;
  #sessionId = '';
  #closed = false;
  #frozen = false;
  #cancelKeepalive: CancelTimer | undefined;

  constructor(options: StratumClientOptions) {
    this.#options = options;
  }

  /** The session id from the login result (`''` before). */
  get sessionId(): string {
    return this.#sessionId;
  }

  /** Opens the connection and logs in. */
  connect(): void {
    const { pool, clock } = this.#options;
    const connection = new JsonLineConnection({
      host: pool.host,
      port: pool.port,
      tls: pool.tls,
      clock,
      jsonrpc: true,
      timeoutMs: this.#options.timeoutMs ?? 20_000,
      maxLineBytes: this.#options.maxLineBytes ?? 64 * 1024,
      maxPending: this.#options.maxPending ?? 1024,
      handler: {
        onOpen: (socket) => {
          if (pool.tls && pool.tlsFingerprint !== null) {
            const actual = this.#fingerprint(socket as TLSSocket);
            if (actual !== pool.tlsFingerprint.toLowerCase().replaceAll(':', '')) {
              this.#fail({ kind: 'TLS', message: 'fingerprint mismatch' });
              return;
            }
          }
          this.#login();
        },
        onMessage: (message) => {
          if (message.method === 'job')
            this.#options.listener.onJob(parseStratumJob(message.params));
        },
        onResponse: (message, request) => this.#onResponse(message, request),
        onProtocolError: (message) => this.#options.listener.onProtocolError(message),
        onFailure: (failure) => this.#onFailure(failure),
      },
    });
    this.#connection = connection;
    connection.connect();
  }

  /**
   * Sends a share. Returns the request id, or `undefined` when it was not sent (not logged in,
   * closed, frozen, or too many answers outstanding).
   */
  submit(share: StratumSubmit): number | undefined {
    if (this.#sessionId === '') return undefined;
    const params: Record<string, string> = {
      id: this.#sessionId,
      job_id: share.jobId,
      nonce: share.nonce,
      result: share.result,
    };
    if (share.algo !== null) params.algo = share.algo;
    return this.#request('submit', params);
  }

  /** Ends the connection quietly: no listener call follows. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopKeepalive();
    this.#connection?.close();
  }

  /** Stops reading and sending but keeps the socket open (a hung miner). */
  freeze(): void {
    this.#frozen = true;
    this.#stopKeepalive();
    this.#connection?.freeze();
  }

  #login(): void {
    const { pool, agent, algorithms } = this.#options;
    const params: Record<string, unknown> = { login: pool.user, pass: pool.pass, agent };
    if (pool.rigId !== null) params.rigid = pool.rigId;
    params.algo = [...algorithms];
    this.#request('login', params);
  }

  #request(method: 'login' | 'submit' | 'keepalived', params: Record<string, unknown>) {
    if (this.#closed || this.#frozen) return undefined;
    const id = this.#connection?.request(method, params);
    if (id !== undefined) this.#armKeepalive();
    return id;
  }

  #onResponse(message: Record<string, unknown>, request: PendingRequest): void {
    if (this.#closed || this.#frozen) return;
    const error = isObject(message.error) ? message.error : undefined;
    const errorText = error
      ? typeof error.message === 'string'
        ? error.message
        : 'unknown error'
      : null;
    if (request.method === 'login') {
      if (error) {
        this.#options.listener.onLoginError(
          errorText as string,
          typeof error.code === 'number' ? error.code : -1,
        );
        return;
      }
      this.#onLoginResult(message.result);
      return;
    }
    if (request.method === 'submit') {
      this.#options.listener.onResult(
        request.id,
        errorText,
        Math.round(performance.now() - request.sentAt),
      );
    }
  }

  #onLoginResult(result: unknown): void {
    const body = isObject(result) ? result : {};
    this.#sessionId = typeof body.id === 'string' ? body.id : String(body.id ?? '');
    const extensions = Array.isArray(body.extensions)
      ? body.extensions.filter((item): item is string => typeof item === 'string')
      : [];
    const socket = this.#connection?.socket as Socket;
    const tlsSocket = socket as TLSSocket;
    const isTls = this.#options.pool.tls;
    this.#options.listener.onLogin(
      {
        sessionId: this.#sessionId,
        extensions,
        job: body.job === undefined ? undefined : parseStratumJob(body.job),
      },
      {
        ip: socket.remoteAddress ?? null,
        tls: isTls ? (tlsSocket.getProtocol?.() ?? null) : null,
        fingerprint: isTls ? this.#fingerprint(tlsSocket) : null,
      },
    );
  }

  #fingerprint(socket: TLSSocket): string | null {
    const fingerprint = socket.getPeerCertificate?.()?.fingerprint256;
    return fingerprint ? fingerprint.replaceAll(':', '').toLowerCase() : null;
  }

  #armKeepalive(): void {
    if (!this.#options.pool.keepalive) return;
    this.#cancelKeepalive?.();
    this.#cancelKeepalive = this.#options.clock.after(this.#options.keepaliveMs ?? 60_000, () => {
      this.#cancelKeepalive = undefined;
      this.#request('keepalived', { id: this.#sessionId });
    });
  }

  #stopKeepalive(): void {
    this.#cancelKeepalive?.();
    this.#cancelKeepalive = undefined;
  }

  /** A failure of the connection, in xmrig's words (`connect error`, `DNS error`, `read error`). */
  #onFailure(failure: JsonLineFailure): void {
    const { error } = failure;
    const dns = typeof error !== 'string' && isDnsError(error);
    this.#fail({
      kind: failure.phase === 'connect' ? (dns ? 'DNS' : 'connect') : 'read',
      message: uvErrorMessage(error),
    });
  }

  #fail(reason: StratumClose): void {
    if (this.#closed || this.#frozen) return;
    this.close();
    this.#options.listener.onClose(reason);
  }
}
