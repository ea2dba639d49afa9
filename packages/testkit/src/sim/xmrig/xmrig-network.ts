import { ansi } from '../shared/ansi.js';
import type { CancelTimer, SimClock } from '../shared/sim-clock.js';
import type { NetworkState } from './network-state.js';
import { formatPoolAddress } from './pool-url.js';
import {
  StratumClient,
  type StratumClose,
  type StratumConnection,
  type StratumLogin,
  type StratumSubmit,
} from './stratum-client.js';
import type { StratumJob } from './stratum-job.js';
import type { XmrigLog } from './xmrig-log.js';
import type { SimPool } from './xmrig-sim-options.js';

/** What the miner hears from the network. */
export interface XmrigNetworkListener {
  /** A job to mine (from the login result or a notification); `nicehash` fixes nonce byte 3. */
  onJob(job: StratumJob, pool: SimPool, nicehash: boolean): void;
  /** The active pool is gone: stop mining until the next job. */
  onInactive(): void;
  /** A submit was answered (`error` null: accepted). */
  onResult(requestId: number, error: string | null, elapsedMs: number): void;
}

/** How {@link XmrigNetwork} connects. */
export interface XmrigNetworkOptions {
  pools: readonly SimPool[];
  /** Failed attempts on a pool before switching to the next (`--retries`). */
  retries: number;
  /** Seconds between attempts (`--retry-pause`), in simulated time. */
  retryPause: number;
  agent: string;
  algorithms: readonly string[];
  clock: SimClock;
  log: XmrigLog;
  state: NetworkState;
  listener: XmrigNetworkListener;
}

/**
 * The pool side of the simulated miner, like xmrig's `Network` with its failover strategy:
 * connect to the first pool; on a failure (connect error, login error, dropped connection)
 * retry after the retry pause, and after `retries` failures in a row move on to the next pool
 * straight away (wrapping around). Every outcome is logged the way xmrig logs it.
 *
 * Simplification: xmrig keeps retrying the primary pool in the background and switches back
 * when it returns; the simulator only moves forward through the list.
 */
export class XmrigNetwork {
  readonly #options: XmrigNetworkOptions;
  #index = 0;
  #failures = 0;
  #client: StratumClient | undefined;
  #cancelRetry: CancelTimer | undefined;
  #nicehash = false;
  #stopped = false;

  constructor(options: XmrigNetworkOptions) {
    this.#options = options;
  }

  /** The pool connected to (or being tried). */
  get pool(): SimPool {
    return this.#options.pools[this.#index] as SimPool;
  }

  /** Connects to the first pool. */
  start(): void {
    this.#connect();
  }

  /** Sends a share to the active pool; `undefined` when it could not be sent. */
  submit(share: StratumSubmit): number | undefined {
    return this.#client?.submit(share);
  }

  /** Closes the connection and stops retrying. */
  close(): void {
    this.#stopped = true;
    this.#cancelRetry?.();
    this.#client?.close();
  }

  /** Keeps the socket but stops everything else (a hung miner). */
  freeze(): void {
    this.#stopped = true;
    this.#cancelRetry?.();
    this.#client?.freeze();
  }

  get #address(): string {
    return formatPoolAddress(this.pool);
  }

  #connect(): void {
    if (this.#stopped) return;
    const pool = this.pool;
    const client: StratumClient = new StratumClient({
      pool,
      agent: this.#options.agent,
      algorithms: this.#options.algorithms,
      clock: this.#options.clock,
      listener: {
        onLogin: (login, connection) => this.#onLogin(pool, login, connection),
        onLoginError: (message, code) => {
          this.#logError('error', message, `${ansi.red(', code: ')}${ansi.redBold(String(code))}`);
          client.close();
          this.#retry();
        },
        onJob: (job) => this.#onJob(pool, job),
        onResult: (id, error, elapsedMs) => this.#options.listener.onResult(id, error, elapsedMs),
        onProtocolError: (message) =>
          this.#options.log.info(
            'net',
            `${ansi.whiteBold(this.#address)} ${ansi.red('JSON decode failed: ')}${ansi.redBold(`"${message}"`)}`,
          ),
        onClose: (reason) => this.#onClose(reason),
      },
    });
    this.#client = client;
    client.connect();
  }

  #onLogin(pool: SimPool, login: StratumLogin, connection: StratumConnection): void {
    const { state, log, clock } = this.#options;
    this.#failures = 0;
    this.#nicehash = pool.nicehash || login.extensions.includes('nicehash');
    state.setActive(
      this.#address,
      connection.ip,
      connection.tls,
      connection.fingerprint,
      clock.nowMs(),
    );
    log.info(
      'net',
      `${ansi.whiteBold('use pool ')}${ansi.cyanBold(`${this.#address} `)}` +
        `${ansi.greenBold(connection.tls ?? '')} ${ansi.blackBold(connection.ip ?? '')}`,
    );
    if (connection.fingerprint !== null) {
      log.info('net', ansi.whiteBold(`fingerprint (SHA-256): "${connection.fingerprint}"`));
    }
    if (login.job !== undefined) this.#onJob(pool, login.job);
  }

  #onJob(pool: SimPool, job: StratumJob | string): void {
    const { state, log } = this.#options;
    if (typeof job === 'string') {
      this.#logError('job error', job);
      return;
    }
    const algo = job.algo ?? pool.algo ?? 'rx/0';
    const mined: StratumJob = { ...job, algo };
    state.setJob(job.diff, algo);
    log.info(
      'net',
      `${ansi.magentaBold('new job')} from ${ansi.whiteBold(this.#address)} diff ` +
        `${ansi.whiteBold(job.diff.toString())} algo ${ansi.whiteBold(algo)}` +
        (job.height === null ? '' : ` height ${ansi.whiteBold(String(job.height))}`),
    );
    this.#options.listener.onJob(mined, pool, this.#nicehash);
  }

  #onClose(reason: StratumClose): void {
    const { state, log, listener } = this.#options;
    this.#logError(`${reason.kind} error`, reason.message);
    if (state.active) {
      state.stop();
      log.info('net', ansi.redBold('no active pools, stop mining'));
      listener.onInactive();
    }
    this.#retry();
  }

  #logError(what: string, message: string, suffix = ''): void {
    this.#options.log.info(
      'net',
      `${ansi.whiteBold(this.#address)} ${ansi.red(`${what}: `)}${ansi.redBold(`"${message}"`)}${suffix}`,
    );
  }

  #retry(): void {
    if (this.#stopped) return;
    this.#client = undefined;
    this.#failures++;
    const { pools, retries, retryPause, clock } = this.#options;
    if (pools.length > 1 && this.#failures >= Math.max(1, retries)) {
      // xmrig connects the backup at once when the primary has used up its retries. Back at
      // the first pool after a full round, wait the pause: no tight loop over dead pools.
      this.#index = (this.#index + 1) % pools.length;
      this.#failures = 0;
      if (this.#index !== 0) {
        this.#connect();
        return;
      }
    }
    this.#cancelRetry = clock.after(retryPause * 1000, () => {
      this.#cancelRetry = undefined;
      this.#connect();
    });
  }
}
