import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnyAdapter } from '../adapter/adapter.js';
import { AdapterRegistry } from '../adapter/adapter-registry.js';
import { validateWithSchema } from '../adapter/validate-options.js';
import { MinerNotFoundError } from '../errors/errors.js';
import { isRigkitError, RigkitError } from '../errors/rigkit-error.js';
import { EventBus } from '../events/event-bus.js';
import type { RigkitEvents } from '../events/rigkit-events.js';
import type { HashrateHistoryOptions } from '../history/hashrate-history.js';
import type { Launcher } from '../launch/launcher.js';
import { createProcessLauncher } from '../launch/process-launcher.js';
import { type Logger, silentLogger } from '../logger.js';
import { Miner } from '../miner/miner.js';
import { ResourceMonitor, type ResourceMonitorOptions } from '../monitor/resource-monitor.js';
import { getFreePort } from '../net/get-free-port.js';
import { Scope } from '../scope/scope.js';
import type { HistorySink } from '../session/history-sink.js';
import { resolveSupervision, type SupervisionOptions } from '../supervisor/supervision-options.js';

/** Options for {@link createManager}. */
export interface ManagerOptions {
  /** The adapters miners can be created with; each is checked at registration. */
  adapters: Iterable<AnyAdapter>;
  /** Root of Rigkit's files: per-miner data dirs and pidfiles live below it. */
  dataDir: string;
  logger?: Logger;
  /** Long-term storage for samples, sessions and events (e.g. `@rigkit/storage`). */
  sink?: HistorySink;
  /** Supervision settings for every miner: they override adapter suggestions; a miner's own win. */
  supervision?: Partial<SupervisionOptions>;
  /** Time between stats-loop ticks. Default 10 000 ms; 0 disables the loop. */
  sampleIntervalMs?: number;
  /** Deadline of one miner's sample within a tick. Default 5000 ms. */
  sampleTimeoutMs?: number;
  /** Most miners one manager holds. Default 1000. */
  maxMiners?: number;
  /** Capacity of each miner's history rings. */
  history?: HashrateHistoryOptions;
  /** Lines kept in each miner's log ring. Default 1000. */
  logLines?: number;
  /** Longest stdout/stderr line kept; longer ones are cut and marked. Default 16 KiB. */
  maxLineLength?: number;
  /** Resource monitor settings, or `false` for none. Default: monitor every 10 s. */
  monitor?: Omit<ResourceMonitorOptions, 'onPressure'> | false;
  /** Starts miner processes. Default: real child processes with pidfiles in `dataDir/pids`. */
  launcher?: Launcher;
  /** Clock and randomness, replaceable for tests. */
  now?: () => number;
  random?: () => number;
}

/** What `manager.create()` takes. */
export interface CreateMinerInput {
  kind: string;
  name: string;
  /** Validated with the adapter's schema; every issue is reported by path. */
  options?: unknown;
  /** A stable id (`[A-Za-z0-9_-]{1,64}`); generated when omitted. */
  id?: string;
  supervision?: Partial<SupervisionOptions>;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Owns miners: creates them from adapters, starts and stops them, samples them on an
 * interval, and releases every process, timer and listener on dispose.
 */
export class Manager implements AsyncDisposable {
  /** Every event of every miner. Subscribers get a disposer. */
  readonly events: EventBus<RigkitEvents>;
  readonly adapters: AdapterRegistry;
  /** Process resource monitor, when enabled. */
  readonly monitor: ResourceMonitor | undefined;

  readonly #options: ManagerOptions;
  readonly #logger: Logger;
  readonly #scope: Scope;
  readonly #miners = new Map<string, Miner>();
  readonly #launcher: Launcher;
  readonly #now: () => number;
  #started: Promise<void> | undefined;
  #closing: Promise<void> | undefined;
  #ticking = false;

  constructor(options: ManagerOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#now = options.now ?? Date.now;
    this.#scope = new Scope({
      onError: (error) => this.#logger.error({ err: error }, 'manager task failed'),
    });
    this.events = new EventBus<RigkitEvents>({
      maxListeners: 1000,
      onListenerError: (error, type) =>
        this.#logger.error({ err: error, type }, 'event listener threw'),
    });
    this.adapters = new AdapterRegistry(options.adapters);
    this.#launcher =
      options.launcher ??
      createProcessLauncher({
        pidDir: join(options.dataDir, 'pids'),
        maxLineLength: options.maxLineLength,
        now: this.#now,
      });
    this.monitor =
      options.monitor === false
        ? undefined
        : new ResourceMonitor({
            ...options.monitor,
            onPressure: (event) => this.events.emit('monitor.pressure', event),
          });
    validateLimit('maxMiners', options.maxMiners);
    validateLimit('sampleTimeoutMs', options.sampleTimeoutMs);
    if (options.sampleIntervalMs !== undefined && options.sampleIntervalMs !== 0) {
      validateLimit('sampleIntervalMs', options.sampleIntervalMs);
    }
  }

  /**
   * Reaps orphans a crashed manager left behind, then starts the stats loop and the monitor.
   * Idempotent; miners call it on their first start.
   */
  start(): Promise<void> {
    this.#assertOpen();
    this.#started ??= this.#startOnce();
    return this.#started;
  }

  async #startOnce(): Promise<void> {
    try {
      await this.#launcher.reapOrphans?.(this.#logger);
    } catch (error) {
      this.#logger.warn(
        { code: isRigkitError(error) ? error.code : undefined },
        'orphan reaping failed',
      );
    }
    if (this.#closing) return;
    const interval = this.#options.sampleIntervalMs ?? 10_000;
    if (interval > 0) this.#scope.setInterval(() => void this.sampleAll(), interval);
    if (this.monitor) {
      this.monitor.start();
      this.#scope.defer(() => this.monitor?.stop());
    }
  }

  /** Creates a miner (not started). Options are validated with the adapter's schema. */
  async create(input: CreateMinerInput): Promise<Miner> {
    this.#assertOpen();
    const adapter = this.adapters.get(input.kind);
    if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200) {
      throw new RigkitError('E_CONFIG_INVALID', 'miner name must be 1–200 characters', {
        details: { issues: [{ path: 'name', message: 'must be 1–200 characters' }] },
      });
    }
    const id = input.id ?? `m_${randomBytes(6).toString('hex')}`;
    if (!ID_PATTERN.test(id)) {
      throw new RigkitError('E_CONFIG_INVALID', 'miner id must match [A-Za-z0-9_-]{1,64}', {
        details: { issues: [{ path: 'id', message: 'must match [A-Za-z0-9_-]{1,64}' }] },
      });
    }
    this.#assertRoomFor(id);
    const options = await validateWithSchema(
      adapter.options,
      input.options ?? {},
      `options for ${adapter.kind}`,
    );
    // Adapter suggestions < manager-wide user settings < this miner's settings.
    const supervision = resolveSupervision(
      adapter.supervision,
      this.#options.supervision,
      input.supervision,
    );
    // The miner's private directory exists before its first start, so (re)starts do no I/O.
    const dataDir = join(this.#options.dataDir, 'miners', id);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // Checked again after the awaits: another create() may have taken the id or the last slot.
    this.#assertOpen();
    this.#assertRoomFor(id);
    const definition = { id, kind: adapter.kind, name: input.name, options, supervision, dataDir };
    const miner = new Miner(definition, adapter, {
      bus: this.events,
      launcher: this.#launcher,
      logger: this.#logger,
      sink: this.#options.sink,
      now: this.#now,
      random: this.#options.random ?? Math.random,
      getFreePort: () => getFreePort(),
      history: this.#options.history,
      logLines: this.#options.logLines ?? 1000,
      maxPendingOperations: 16,
      ensureStarted: () => this.start(),
    });
    this.#miners.set(id, miner);
    this.events.emit('miner.created', {
      minerId: id,
      kind: adapter.kind,
      name: input.name,
      time: this.#now(),
    });
    return miner;
  }

  #assertRoomFor(id: string): void {
    if (this.#miners.has(id)) {
      throw new RigkitError('E_MINER_EXISTS', `a miner with id "${id}" exists`, {
        details: { id },
      });
    }
    const max = this.#options.maxMiners ?? 1000;
    if (this.#miners.size >= max) {
      throw new RigkitError('E_MINER_LIMIT', `this manager already holds ${max} miners`, {
        details: { max },
      });
    }
  }

  /** The miner with `id`, or throws `E_MINER_NOT_FOUND`. */
  get(id: string): Miner {
    const miner = this.#miners.get(id);
    if (!miner) throw new MinerNotFoundError(id);
    return miner;
  }

  /** The miner with `id`, or `undefined`. */
  find(id: string): Miner | undefined {
    return this.#miners.get(id);
  }

  /** Every miner, in creation order. */
  list(): Miner[] {
    return [...this.#miners.values()];
  }

  /** Stops the miner, releases everything it owns and forgets it. */
  async remove(id: string): Promise<void> {
    const miner = this.get(id);
    await miner.dispose();
    this.#miners.delete(id);
    this.events.emit('miner.removed', { minerId: id, time: this.#now() });
  }

  /** Starts every miner concurrently; one failure does not stop the others. */
  async startAll(): Promise<PromiseSettledResult<void>[]> {
    await this.start();
    return Promise.allSettled(this.list().map((miner) => miner.start()));
  }

  /** Stops every miner concurrently and waits for all of them. */
  async stopAll(): Promise<void> {
    await Promise.allSettled(this.list().map((miner) => miner.stop()));
  }

  /**
   * One stats-loop tick: snapshots the running miners and samples them concurrently, each with
   * its own deadline, so one hung miner never delays another. Overlapping ticks are skipped.
   */
  async sampleAll(): Promise<void> {
    if (this.#ticking || this.#closing) return;
    this.#ticking = true;
    try {
      const timeoutMs = this.#options.sampleTimeoutMs ?? 5000;
      const miners = this.list();
      await Promise.allSettled(
        miners.filter((m) => m.state === 'running').map((m) => m.sample({ timeoutMs })),
      );
      const now = this.#now();
      for (const miner of miners) miner.history.trim(now);
    } finally {
      this.#ticking = false;
    }
  }

  /**
   * Stops every miner, the loops and the monitor, and releases every listener. Idempotent.
   * The manager cannot be used afterwards.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.#started?.catch(() => {});
      await Promise.allSettled(this.list().map((miner) => miner.dispose('stopped')));
      this.#miners.clear();
      await this.#scope.dispose();
      this.events.clear();
    })();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #assertOpen(): void {
    if (this.#closing) throw new RigkitError('E_MANAGER_CLOSED', 'this manager is closed');
  }
}

/** Creates a {@link Manager}. Does no I/O: processes start on `start()`/`startAll()`. */
export function createManager(options: ManagerOptions): Manager {
  return new Manager(options);
}

function validateLimit(name: string, value: number | undefined): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < 1) {
    throw new RigkitError('E_CONFIG_INVALID', `${name} must be a positive integer`, {
      details: { issues: [{ path: name, message: 'must be a positive integer' }] },
    });
  }
}
