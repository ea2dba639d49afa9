import { connect, type Socket } from 'node:net';
import { NdjsonSplitter, RigkitError } from '@rigkit/core';
import {
  type Extranonce,
  parseDifficulty,
  parseExtranonce,
  parseReconnect,
  parseStratumV1Notify,
  parseSubscribeResult,
} from '../ttminer/stratum-v1-job.js';
import type { FoundSv1Share } from './find-sv1-share.js';
import { Sv1HashLoop } from './sv1-hash-loop.js';
import { type PreparedSv1Job, prepareSv1Job } from './sv1-share.js';

/** Options of {@link startStratumV1Miner}. */
export interface StratumV1MinerOptions {
  host: string;
  port: number;
  /** `mining.authorize` name, also the first `mining.submit` param. */
  worker: string;
  /** Default `x`. */
  password?: string;
  /** `mining.subscribe` user agent. Default `rigkit-sim-sv1/0.1`. */
  agent?: string;
  /** Cap on hashing speed (H/s); default unlimited (as fast as node:crypto goes). */
  hashesPerSecond?: number;
  /** Send `mining.extranonce.subscribe` after the login (default false). */
  extranonceSubscribe?: boolean;
  /** Negotiate BIP 310 version rolling with `mining.configure` and roll it (default false). */
  versionRolling?: boolean;
  /** The mask asked for with `mining.configure`. Default `1fffe000`. */
  versionRollingMask?: string;
  /** Reconnect this long after the connection drops (default 200 ms); `false`: stay down. */
  reconnectDelayMs?: number | false;
  /** Hashes per event-loop turn (default 2000, about 10 ms). */
  sliceHashes?: number;
  /** Most requests waiting for an answer; shares found beyond it are dropped (default 1024). */
  maxPending?: number;
  /** Longest line accepted from the pool (default 64 KiB); longer closes the connection. */
  maxLineBytes?: number;
  /** Called for every answered share (also emitted as `share`). */
  onShare?: (event: StratumV1MinerShareEvent) => void;
}

/** A share the pool answered. */
export interface StratumV1MinerShareEvent {
  share: FoundSv1Share;
  accepted: boolean;
  /** The pool's error code when rejected (`-1` when the error had none), `null` when accepted. */
  code: number | null;
  message: string | null;
  /** The difficulty the share was found at. */
  difficulty: number;
  /** Milliseconds from submit to answer. */
  latencyMs: number;
}

/** The events of a {@link StratumV1Miner}. */
export interface StratumV1MinerEvents {
  share: StratumV1MinerShareEvent;
  /** A share was found; `sent` is false when too many requests were pending (it is dropped). */
  found: { share: FoundSv1Share; sent: boolean };
  /** Logged in (after each (re)connect). */
  authorized: undefined;
  /** The pool refused the login; the miner stops. */
  refused: { code: number | null; message: string | null };
  /** A new job to hash. */
  job: { jobId: string; cleanJobs: boolean };
  difficulty: number;
  extranonce: { extranonce1: string; extranonce2Size: number };
  /** The connection ended (the miner reconnects unless closed or refused). */
  disconnected: { reconnect: boolean };
}

/** Counters of a miner. */
export interface StratumV1MinerStats {
  connected: boolean;
  authorized: boolean;
  difficulty: number;
  extranonce1: string | undefined;
  jobId: string | undefined;
  versionMask: number | undefined;
  hashes: number;
  /** Shares found, submitted, answered as accepted or rejected. */
  found: number;
  submitted: number;
  accepted: number;
  rejected: number;
  rejectedByCode: Record<number, number>;
  /** Shares not sent because too many requests were pending, or lost with a connection. */
  dropped: number;
  lost: number;
  /** Connections made (the first included). */
  connects: number;
  /** `client.reconnect`s followed. */
  redirects: number;
}

/** How long {@link StratumV1Miner.waitForShares} waits and what it counts. */
export interface WaitForSharesOptions {
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Count accepted shares (default) or every answered one. */
  counting?: 'accepted' | 'answered';
}

/** A running simulated Stratum V1 miner. */
export interface StratumV1Miner {
  stats(): StratumV1MinerStats;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<K extends keyof StratumV1MinerEvents>(
    event: K,
    listener: (value: StratumV1MinerEvents[K]) => void,
  ): () => void;
  /**
   * Resolves once `n` more shares (from the call on) are answered as accepted (or answered at
   * all, per `counting`); rejects with `E_SIM_TIMEOUT` after `timeoutMs`, or `E_SIM_CLOSED`.
   */
  waitForShares(n: number, options?: WaitForSharesOptions): Promise<StratumV1MinerStats>;
  /** Resolves at the next `event` (same timeout rules). */
  waitFor<K extends keyof StratumV1MinerEvents>(
    event: K,
    options?: { timeoutMs?: number },
  ): Promise<StratumV1MinerEvents[K]>;
  /** Disconnects for good and releases the socket and every timer. */
  close(): void;
}

interface Pending {
  method: string;
  sentAt: number;
  share: FoundSv1Share | undefined;
  difficulty: number;
}

const MAX_LISTENERS = 64;

/** Thrown by the miner's waits. */
export class StratumV1MinerError extends RigkitError {}

/** The pool's error code and message from `[code, message, data]` or `{code, message}`. */
function errorOf(error: unknown): { code: number; message: string } | null {
  if (error === null || error === undefined || error === false) return null;
  if (Array.isArray(error)) {
    return {
      code: typeof error[0] === 'number' ? error[0] : -1,
      message: typeof error[1] === 'string' ? error[1] : String(error[1]),
    };
  }
  if (typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      code: typeof code === 'number' ? code : -1,
      message: typeof message === 'string' ? message : 'unknown error',
    };
  }
  return { code: -1, message: String(error) };
}

/**
 * Connects a simulated Bitcoin Stratum V1 miner that finds real SHA-256d shares (at the low
 * difficulties tests use) and submits them: `mining.configure` (optional, version rolling),
 * `mining.subscribe`, `mining.authorize`, `mining.extranonce.subscribe` (optional); follows
 * `mining.set_difficulty`, `mining.notify`, `mining.set_extranonce` and `client.reconnect`;
 * reconnects when the connection drops. Hashing runs in slices with `setImmediate` between them
 * so the event loop stays responsive; `hashesPerSecond` caps it.
 *
 * Resolves once the first connection is open (rejects if it cannot be made).
 */
export async function startStratumV1Miner(options: StratumV1MinerOptions): Promise<StratumV1Miner> {
  const miner = new SimulatedStratumV1Miner(options);
  await miner.start();
  return miner;
}

class SimulatedStratumV1Miner implements StratumV1Miner {
  readonly #options: StratumV1MinerOptions;
  readonly #listeners = new Map<string, Set<(value: unknown) => void>>();
  readonly #pending = new Map<number, Pending>();
  readonly #stats: StratumV1MinerStats;
  #host: string;
  #port: number;
  #socket: Socket | undefined;
  #closed = false;
  #refused = false;
  #nextId = 1;
  #job: PreparedSv1Job | undefined;
  #extranonce: Extranonce | undefined;
  #versionMask: number | undefined;
  readonly #loop: Sv1HashLoop;
  #reconnectTimer: NodeJS.Timeout | undefined;

  constructor(options: StratumV1MinerOptions) {
    this.#options = options;
    this.#host = options.host;
    this.#port = options.port;
    this.#loop = new Sv1HashLoop({
      onShare: (share) => this.#submit(share),
      ...(options.sliceHashes === undefined ? {} : { sliceHashes: options.sliceHashes }),
      ...(options.hashesPerSecond === undefined
        ? {}
        : { hashesPerSecond: options.hashesPerSecond }),
    });
    this.#stats = {
      connected: false,
      authorized: false,
      difficulty: 1,
      extranonce1: undefined,
      jobId: undefined,
      versionMask: undefined,
      hashes: 0,
      found: 0,
      submitted: 0,
      accepted: 0,
      rejected: 0,
      rejectedByCode: {},
      dropped: 0,
      lost: 0,
      connects: 0,
      redirects: 0,
    };
  }

  /** Makes the first connection. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = this.#connect();
      const onError = (error: Error) => {
        this.close();
        reject(error);
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        resolve();
      });
    });
  }

  stats(): StratumV1MinerStats {
    return {
      ...this.#stats,
      hashes: this.#loop.hashes,
      rejectedByCode: { ...this.#stats.rejectedByCode },
    };
  }

  on<K extends keyof StratumV1MinerEvents>(
    event: K,
    listener: (value: StratumV1MinerEvents[K]) => void,
  ): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    if (set.size >= MAX_LISTENERS) {
      throw new StratumV1MinerError('E_LISTENER_LIMIT', `more than ${MAX_LISTENERS} listeners`);
    }
    const fn = listener as (value: unknown) => void;
    set.add(fn);
    return () => set.delete(fn);
  }

  waitFor<K extends keyof StratumV1MinerEvents>(
    event: K,
    options: { timeoutMs?: number } = {},
  ): Promise<StratumV1MinerEvents[K]> {
    return this.#until([event], options, (_name, value) => ({
      done: value as StratumV1MinerEvents[K],
    }));
  }

  waitForShares(n: number, options: WaitForSharesOptions = {}): Promise<StratumV1MinerStats> {
    const counting = options.counting ?? 'accepted';
    let seen = 0;
    if (n <= 0) return Promise.resolve(this.stats());
    return this.#until(['share'], options, (_name, value) => {
      const event = value as StratumV1MinerShareEvent;
      if (counting === 'answered' || event.accepted) seen += 1;
      return seen >= n ? { done: this.stats() } : undefined;
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#loop.stop();
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    this.#socket?.destroy();
    this.#emit('closed', undefined);
    this.#listeners.clear();
  }

  /** Resolves when `check` says so for one of `events`; times out; fails on close. */
  #until<T>(
    events: readonly string[],
    options: { timeoutMs?: number },
    check: (name: string, value: unknown) => { done: T } | undefined,
  ): Promise<T> {
    if (this.#closed) {
      return Promise.reject(new StratumV1MinerError('E_SIM_CLOSED', 'the miner is closed'));
    }
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise<T>((resolve, reject) => {
      const offs: Array<() => void> = [];
      const finish = () => {
        clearTimeout(timer);
        for (const off of offs) off();
      };
      const timer = setTimeout(() => {
        finish();
        reject(
          new StratumV1MinerError('E_SIM_TIMEOUT', `no ${events[0]} within ${timeoutMs} ms`, {
            details: { stats: this.stats() },
          }),
        );
      }, timeoutMs);
      for (const name of events) {
        offs.push(
          this.#subscribe(name, (value) => {
            const result = check(name, value);
            if (result) {
              finish();
              resolve(result.done);
            }
          }),
        );
      }
      offs.push(
        this.#subscribe('closed', () => {
          finish();
          reject(new StratumV1MinerError('E_SIM_CLOSED', 'the miner was closed'));
        }),
      );
    });
  }

  #subscribe(event: string, fn: (value: unknown) => void): () => void {
    return this.on(event as keyof StratumV1MinerEvents, fn as never);
  }

  #emit(event: string, value: unknown): void {
    const set = this.#listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) listener(value);
  }

  #connect(): Socket {
    const socket = connect({ host: this.#host, port: this.#port });
    this.#socket = socket;
    this.#stats.connects += 1;
    socket.setNoDelay(true);
    const splitter = new NdjsonSplitter(
      this.#options.maxLineBytes ?? 64 * 1024,
      (line) => this.#onLine(socket, line),
      () => socket.destroy(),
    );
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('error', () => {});
    socket.on('connect', () => {
      this.#stats.connected = true;
      if (this.#options.versionRolling) {
        this.#request('mining.configure', [
          ['version-rolling'],
          {
            'version-rolling.mask': this.#options.versionRollingMask ?? '1fffe000',
            'version-rolling.min-bit-count': 2,
          },
        ]);
      }
      this.#request('mining.subscribe', [this.#options.agent ?? 'rigkit-sim-sv1/0.1']);
    });
    socket.on('close', () => this.#onClose(socket));
    return socket;
  }

  #onClose(socket: Socket): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    this.#stats.connected = false;
    this.#stats.authorized = false;
    this.#stats.lost += [...this.#pending.values()].filter((p) => p.share).length;
    this.#pending.clear();
    this.#job = undefined;
    this.#extranonce = undefined;
    this.#versionMask = undefined;
    this.#loop.stop();
    const delay = this.#options.reconnectDelayMs ?? 200;
    const reconnect = !this.#closed && !this.#refused && delay !== false;
    this.#emit('disconnected', { reconnect });
    if (reconnect && this.#reconnectTimer === undefined) this.#scheduleConnect(delay);
  }

  #scheduleConnect(delayMs: number): void {
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#closed) this.#connect();
    }, delayMs);
  }

  #request(method: string, params: unknown[], share?: FoundSv1Share): boolean {
    const socket = this.#socket;
    if (!socket || socket.destroyed) return false;
    if (this.#pending.size >= (this.#options.maxPending ?? 1024)) return false;
    const id = this.#nextId++;
    this.#pending.set(id, {
      method,
      sentAt: performance.now(),
      share,
      difficulty: this.#stats.difficulty,
    });
    socket.write(`${JSON.stringify({ id, method, params })}\n`);
    return true;
  }

  #onLine(socket: Socket, line: string): void {
    if (socket !== this.#socket || line.length === 0) return;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(line);
    } catch {
      socket.destroy();
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    if (typeof message.method === 'string') {
      this.#onNotification(message.method, message.params, message.id);
      return;
    }
    const pending = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined;
    if (!pending) return;
    this.#pending.delete(message.id as number);
    this.#onResponse(pending, message.result, errorOf(message.error));
  }

  #onResponse(
    pending: Pending,
    result: unknown,
    error: { code: number; message: string } | null,
  ): void {
    switch (pending.method) {
      case 'mining.configure': {
        const answer = (typeof result === 'object' && result) || {};
        const mask = (answer as Record<string, unknown>)['version-rolling.mask'];
        const granted = (answer as Record<string, unknown>)['version-rolling'] === true;
        this.#versionMask =
          granted && typeof mask === 'string' && /^[0-9a-fA-F]{8}$/.test(mask)
            ? Number.parseInt(mask, 16) >>> 0
            : undefined;
        this.#stats.versionMask = this.#versionMask;
        return;
      }
      case 'mining.subscribe': {
        const extranonce = error === null ? parseSubscribeResult(result) : undefined;
        if (!extranonce) {
          this.#socket?.destroy();
          return;
        }
        this.#setExtranonce(extranonce);
        this.#request('mining.authorize', [this.#options.worker, this.#options.password ?? 'x']);
        return;
      }
      case 'mining.authorize':
        if (result !== true || error !== null) {
          this.#refused = true;
          this.#emit('refused', { code: error?.code ?? null, message: error?.message ?? null });
          this.#socket?.destroy();
          return;
        }
        this.#stats.authorized = true;
        if (this.#options.extranonceSubscribe) this.#request('mining.extranonce.subscribe', []);
        this.#emit('authorized', undefined);
        this.#restartWork();
        return;
      case 'mining.submit': {
        const share = pending.share;
        if (!share) return;
        const accepted = result === true && error === null;
        if (accepted) {
          this.#stats.accepted += 1;
        } else {
          const code = error?.code ?? -1;
          this.#stats.rejected += 1;
          this.#stats.rejectedByCode[code] = (this.#stats.rejectedByCode[code] ?? 0) + 1;
        }
        const event: StratumV1MinerShareEvent = {
          share,
          accepted,
          code: accepted ? null : (error?.code ?? -1),
          message: accepted ? null : (error?.message ?? 'rejected'),
          difficulty: pending.difficulty,
          latencyMs: performance.now() - pending.sentAt,
        };
        this.#options.onShare?.(event);
        this.#emit('share', event);
        return;
      }
      default:
        return;
    }
  }

  #onNotification(method: string, params: unknown, id: unknown): void {
    switch (method) {
      case 'mining.set_difficulty': {
        const difficulty = parseDifficulty(params);
        if (difficulty === undefined) return;
        this.#stats.difficulty = difficulty;
        this.#loop.setDifficulty(difficulty);
        this.#emit('difficulty', difficulty);
        return;
      }
      case 'mining.notify': {
        const job = parseStratumV1Notify(params);
        if (typeof job === 'string') return;
        let prepared: PreparedSv1Job;
        try {
          prepared = prepareSv1Job(job);
        } catch {
          return;
        }
        this.#stats.jobId = job.jobId;
        // Clean or not, the newest job is the one worth hashing.
        this.#job = prepared;
        this.#restartWork();
        this.#emit('job', { jobId: job.jobId, cleanJobs: job.cleanJobs });
        return;
      }
      case 'mining.set_extranonce': {
        const list = Array.isArray(params) ? params : [];
        const extranonce = parseExtranonce(list[0], list[1]);
        if (!extranonce) return;
        this.#setExtranonce(extranonce);
        this.#emit('extranonce', extranonce);
        return;
      }
      case 'client.reconnect': {
        const target = parseReconnect(params, { host: this.#host, port: this.#port });
        if (!target) return;
        this.#host = target.host;
        this.#port = target.port;
        this.#stats.redirects += 1;
        // Our own timer, not #onClose's delay: the pool said when.
        clearTimeout(this.#reconnectTimer);
        this.#scheduleConnect(target.waitSeconds * 1000);
        this.#socket?.destroy();
        return;
      }
      case 'client.get_version':
        if (id !== undefined && id !== null) {
          this.#socket?.write(
            `${JSON.stringify({ id, result: this.#options.agent ?? 'rigkit-sim-sv1/0.1', error: null })}\n`,
          );
        }
        return;
      default:
        return;
    }
  }

  #setExtranonce(extranonce: Extranonce): void {
    this.#extranonce = extranonce;
    this.#stats.extranonce1 = extranonce.extranonce1;
    this.#restartWork();
  }

  /** New job or extranonce: start over at extranonce2 0, nonce 0. */
  #restartWork(): void {
    const job = this.#job;
    const extranonce = this.#extranonce;
    if (this.#closed || !job || !extranonce || !this.#stats.authorized) {
      this.#loop.stop();
      return;
    }
    this.#loop.setWork({
      job,
      ...extranonce,
      difficulty: this.#stats.difficulty,
      ...(this.#versionMask === undefined ? {} : { versionMask: this.#versionMask }),
    });
  }

  #submit(share: FoundSv1Share): void {
    this.#stats.found += 1;
    const params = [this.#options.worker, share.jobId, share.extranonce2, share.ntime, share.nonce];
    if (share.versionBits !== undefined) params.push(share.versionBits);
    const sent = this.#request('mining.submit', params, share);
    if (sent) {
      this.#stats.submitted += 1;
    } else {
      this.#stats.dropped += 1;
    }
    this.#emit('found', { share, sent });
  }
}
