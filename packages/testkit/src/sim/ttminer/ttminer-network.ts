import { ansi } from '../shared/ansi.js';
import { formatHostPort } from '../shared/host-port.js';
import type { CancelTimer, SimClock } from '../shared/sim-clock.js';
import type { StratumV1Share, StratumV1Work } from './share-finder.js';
import { StratumV1Client } from './stratum-v1-client.js';
import { formatDifficulty } from './stratum-v1-job.js';
import type { TtminerLog } from './ttminer-log.js';
import type { TtminerSimPool } from './ttminer-sim-options.js';

/** Failed attempts on one pool before the next `-P` is tried. */
export const POOL_RETRIES = 3;
/** Simulated seconds between two attempts on the same pool. */
export const RETRY_PAUSE_S = 5;

/** What the miner hears from the network. */
export interface TtminerNetworkListener {
  /** Work to mine, or `undefined`: nothing to mine (disconnected, reconnecting). */
  onWork(work: StratumV1Work | undefined): void;
  /** A submit was answered (`error` null: accepted). */
  onResult(requestId: number, error: string | null, elapsedMs: number): void;
}

/** How {@link TtminerNetwork} connects. */
export interface TtminerNetworkOptions {
  pools: readonly TtminerSimPool[];
  agent: string;
  clock: SimClock;
  log: TtminerLog;
  listener: TtminerNetworkListener;
  /** Real ms for the connection and each answer (default 20 s). */
  timeoutMs?: number;
}

/**
 * The pool side of the simulated TT-Miner: a {@link StratumV1Client} to the active pool, with
 * failover — after {@link POOL_RETRIES} failures in a row the next `-P` pool is tried at once
 * (a pool switch, counted in `miner_getstat1` `result[8]`), otherwise the same pool again after
 * {@link RETRY_PAUSE_S} simulated seconds — and `client.reconnect`, which moves the active pool
 * to the address the pool names. Lines, in the canonical shapes where there is one:
 *
 * - `Connected to <host>:<port>` once logged in;
 * - `New job from <host>:<port> diff <difficulty>` for every `mining.notify`;
 * - `Failed to connect to <host>:<port>` when the connection cannot be made;
 * - `Disconnected from <host>:<port>` when an open connection ends;
 * - `ERROR: Pool <host>:<port> refused the login` (or `the subscription`), `… sent a line that
 *   is not JSON`, `… sent an unusable job (<why>)`;
 * - `Pool <host>:<port> asks to reconnect to <host>:<port>`, `Switching to pool <host>:<port>`.
 *
 * No line quotes text from the pool (it could hold words a log parser acts on).
 */
export class TtminerNetwork {
  readonly #options: TtminerNetworkOptions;
  /** The address each pool is reached at now (`client.reconnect` changes it). */
  readonly #addresses: Array<{ host: string; port: number }>;
  #index = 0;
  #failures = 0;
  #switches = 0;
  #client: StratumV1Client | undefined;
  #cancelRetry: CancelTimer | undefined;
  #stopped = false;

  constructor(options: TtminerNetworkOptions) {
    this.#options = options;
    this.#addresses = options.pools.map((pool) => ({ host: pool.host, port: pool.port }));
  }

  /** `host:port` of the active pool (`''` without pools). */
  get poolAddress(): string {
    const address = this.#addresses[this.#index];
    return address ? formatHostPort(address) : '';
  }

  /** Pool switches so far (failovers to another `-P`). */
  get switches(): number {
    return this.#switches;
  }

  start(): void {
    if (this.#options.pools.length > 0) this.#connect();
  }

  /** Sends a share to the active pool; `undefined` when it could not be sent. */
  submit(share: StratumV1Share): number | undefined {
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

  #connect(): void {
    if (this.#stopped) return;
    const pool = this.#options.pools[this.#index] as TtminerSimPool;
    const address = this.#addresses[this.#index] as { host: string; port: number };
    const where = formatHostPort(address);
    const { log, listener } = this.#options;
    const client: StratumV1Client = new StratumV1Client({
      host: address.host,
      port: address.port,
      tls: pool.tls,
      login: pool.login,
      pass: pool.pass,
      agent: this.#options.agent,
      clock: this.#options.clock,
      timeoutMs: this.#options.timeoutMs ?? 20_000,
      listener: {
        onAuthorized: () => {
          this.#failures = 0;
          log.line(ansi.cyan(`Connected to ${where}`));
        },
        onRefused: (what) => {
          log.line(
            ansi.red(
              `ERROR: Pool ${where} refused the ${what === 'subscribe' ? 'subscription' : 'login'}`,
            ),
          );
          this.#lost();
        },
        onWork: (work, newJob) => {
          if (newJob) {
            log.line(
              ansi.magenta(`New job from ${where} diff ${formatDifficulty(work.difficulty)}`),
            );
          }
          listener.onWork(work);
        },
        onBadJob: (reason) =>
          log.line(ansi.red(`ERROR: Pool ${where} sent an unusable job (${reason})`)),
        onResult: (id, error, elapsedMs) => listener.onResult(id, error, elapsedMs),
        onReconnect: (target) => {
          const next = formatHostPort(target);
          log.line(`Pool ${where} asks to reconnect to ${next}`);
          this.#addresses[this.#index] = { host: target.host, port: target.port };
          this.#failures = 0;
          this.#client = undefined;
          listener.onWork(undefined);
          this.#cancelRetry = this.#options.clock.after(target.waitSeconds * 1000, () => {
            this.#cancelRetry = undefined;
            this.#connect();
          });
        },
        onProtocolError: () =>
          log.line(ansi.red(`ERROR: Pool ${where} sent a line that is not JSON`)),
        onClose: (failure) => {
          if (failure.phase === 'connect') log.line(ansi.red(`Failed to connect to ${where}`));
          else log.line(ansi.red(`Disconnected from ${where}`));
          this.#lost();
        },
      },
    });
    this.#client = client;
    client.connect();
  }

  /** The active connection is gone: stop mining, then retry or fail over. */
  #lost(): void {
    this.#client = undefined;
    this.#options.listener.onWork(undefined);
    if (this.#stopped) return;
    this.#failures++;
    const { pools, clock, log } = this.#options;
    if (pools.length > 1 && this.#failures >= POOL_RETRIES) {
      this.#index = (this.#index + 1) % pools.length;
      this.#failures = 0;
      this.#switches++;
      log.line(`Switching to pool ${this.poolAddress}`);
      // Back at the first pool after a full round: wait the pause (no tight loop).
      if (this.#index !== 0) {
        this.#connect();
        return;
      }
    }
    this.#cancelRetry = clock.after(RETRY_PAUSE_S * 1000, () => {
      this.#cancelRetry = undefined;
      this.#connect();
    });
  }
}
