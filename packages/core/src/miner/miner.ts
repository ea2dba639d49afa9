import { randomUUID } from 'node:crypto';
import { withTimeout } from '../abort/with-timeout.js';
import type { AdapterContext, AnyAdapter } from '../adapter/adapter.js';
import type { HealthReport, Sample } from '../adapter/sample.js';
import { AbortedError, MinerBusyError, MinerNotFoundError } from '../errors/errors.js';
import { isRigkitError, RigkitError } from '../errors/rigkit-error.js';
import type { EventBus } from '../events/event-bus.js';
import type { RestartReason, RigkitEvents } from '../events/rigkit-events.js';
import { HashrateHistory, type HashrateHistoryOptions } from '../history/hashrate-history.js';
import type { ExitInfo, Launcher, RunHandle } from '../launch/launcher.js';
import { startRunner } from '../launch/runner-handle.js';
import { assertTransition, LIVE_STATES, type MinerState } from '../lifecycle/transitions.js';
import type { Logger } from '../logger.js';
import { LogRing } from '../logs/log-ring.js';
import type { Disposer } from '../scope/scope.js';
import { Scope } from '../scope/scope.js';
import type { HistorySink } from '../session/history-sink.js';
import type { SessionEndReason, SessionRecord } from '../session/session-record.js';
import { HealthWatch } from '../supervisor/health-watch.js';
import { RestartPolicy } from '../supervisor/restart-policy.js';
import type { SupervisionOptions } from '../supervisor/supervision-options.js';
import { type GuardDecision, TemperatureGuard } from '../supervisor/temperature-guard.js';

/** What the manager hands each miner: shared services, never per-miner state. */
export interface MinerRuntime {
  bus: EventBus<RigkitEvents>;
  launcher: Launcher;
  logger: Logger;
  sink: HistorySink | undefined;
  now: () => number;
  random: () => number;
  getFreePort: () => Promise<number>;
  history: HashrateHistoryOptions | undefined;
  logLines: number;
  maxPendingOperations: number;
  /** Called before the first launch of any miner (orphan reaping, loops). */
  ensureStarted: () => Promise<void>;
}

/** A miner's definition, as given to `manager.create()`. */
export interface MinerDefinition {
  id: string;
  kind: string;
  name: string;
  /** Options after validation by the adapter's schema. */
  options: unknown;
  /** The miner's private directory (already created). */
  dataDir: string;
  supervision: SupervisionOptions;
}

/** A plain summary of a miner, safe to serialise. Options are left out: they may hold secrets. */
export interface MinerInfo {
  id: string;
  kind: string;
  name: string;
  state: MinerState;
  generation: number;
  pid: number | undefined;
  /** When the current run started, if one is live. */
  startedAt: number | undefined;
  /** Restarts within the crash-loop window. */
  recentRestarts: number;
  lastExit: ExitInfo | undefined;
  lastSample: Sample | undefined;
  /** Paused by the temperature guard (the process runs, mining is paused). */
  paused: boolean;
}

interface Run {
  generation: number;
  scope: Scope;
  ctx: AdapterContext;
  handle: RunHandle | undefined;
  session: SessionRecord;
  hashrateSum: number;
  watch: HealthWatch | undefined;
  guard: TemperatureGuard | undefined;
  /** Paused by the temperature guard through the adapter's pause(). */
  paused: boolean;
}

type ReadyOutcome = 'ready' | 'exited' | 'aborted' | 'timeout';

/**
 * The core-owned handle of one miner. Every state change goes through one operation queue, so
 * start, stop, restart, crash handling and supervisor restarts never interleave; the
 * generation number makes events from an old run harmless to a newer one.
 */
export class Miner {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  /** Bounded hashrate history (10 s ring rolled into 1 min averages). */
  readonly history: HashrateHistory;
  /** Bounded ring of the miner's output lines. */
  readonly logs: LogRing;

  readonly #adapter: AnyAdapter;
  readonly #options: unknown;
  readonly #dataDir: string;
  readonly #supervision: SupervisionOptions;
  readonly #rt: MinerRuntime;
  readonly #logger: Logger;
  readonly #scope: Scope;
  readonly #policy: RestartPolicy;
  #state: MinerState = 'idle';
  #generation = 0;
  #queue: Promise<unknown> = Promise.resolve();
  #pending = 0;
  #run: Run | undefined;
  #startAbort: AbortController | undefined;
  #cancelBackoff: Disposer | undefined;
  #nextRestartAttempt = 0;
  #lastExit: ExitInfo | undefined;
  #lastSample: Sample | undefined;
  #sampling = false;
  #removed = false;
  /** Bumped by every stop/restart; operations requested under an older epoch are cancelled. */
  #epoch = 0;

  /** @internal Made by the manager; use `manager.create()`. */
  constructor(definition: MinerDefinition, adapter: AnyAdapter, runtime: MinerRuntime) {
    this.id = definition.id;
    this.kind = definition.kind;
    this.name = definition.name;
    this.#adapter = adapter;
    this.#options = definition.options;
    this.#dataDir = definition.dataDir;
    this.#supervision = definition.supervision;
    this.#rt = runtime;
    this.#logger = runtime.logger.child({ minerId: this.id, kind: this.kind });
    this.#scope = new Scope({
      onError: (error) => this.#logger.error({ err: error }, 'miner task failed'),
    });
    this.#policy = new RestartPolicy(definition.supervision, runtime.random);
    this.history = new HashrateHistory(runtime.history);
    this.logs = new LogRing(runtime.logLines);
  }

  /** Current lifecycle state. */
  get state(): MinerState {
    return this.#state;
  }

  /** Increases by one for every run; events carry it so stale ones can be recognised. */
  get generation(): number {
    return this.#generation;
  }

  /** The resolved supervision settings of this miner. */
  get supervision(): Readonly<SupervisionOptions> {
    return this.#supervision;
  }

  /** The most recent successful sample, if any. */
  get lastSample(): Sample | undefined {
    return this.#lastSample;
  }

  /** A serialisable summary. */
  info(): MinerInfo {
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      state: this.#state,
      generation: this.#generation,
      pid: this.#run?.handle?.pid,
      startedAt: this.#run?.session.startedAt,
      recentRestarts: this.#policy.recentRestarts(this.#rt.now()),
      lastExit: this.#lastExit,
      lastSample: this.#lastSample,
      paused: this.#run?.paused ?? false,
    };
  }

  /**
   * Starts the miner and resolves once it is running (its probe says ready). Idempotent while
   * starting or running. A start from `failed` resets the crash-loop breaker.
   */
  start(): Promise<void> {
    const epoch = this.#epoch;
    return this.#enqueue(() => this.#doStart(epoch));
  }

  /**
   * Stops the miner: aborts a start in progress, cancels a pending restart, and resolves when
   * the process has exited. Idempotent.
   */
  stop(): Promise<void> {
    this.#supersede();
    return this.#enqueue(() => this.#doStop('stopped', 'user'));
  }

  /** Stops (if live) and starts again at once, without backoff. */
  restart(): Promise<void> {
    const epoch = this.#supersede();
    return this.#enqueue(async () => {
      this.#assertCurrent(epoch);
      this.#emitRestart('manual', 0, 0);
      await this.#doStop('restart', 'restart');
      await this.#doStart(epoch);
    });
  }

  /** Writes `input` to the miner's stdin (e.g. xmrig's `h` key). */
  write(input: string): void {
    this.#assertPresent();
    const handle = this.#run?.handle;
    if (this.#state !== 'running' || !handle || !handle.write(input)) {
      throw new RigkitError(
        'E_PROCESS_NOT_RUNNING',
        `miner "${this.id}" has no running process to write to`,
        {
          details: { state: this.#state },
        },
      );
    }
  }

  /**
   * Takes one reading now with a deadline, records it (history, sink, `miner.sample`) and
   * returns it. Rejects with `E_PROCESS_NOT_RUNNING` unless running, `E_API_TIMEOUT` on timeout.
   * Concurrent calls share nothing but never overlap: a second call while one is in flight
   * rejects with `E_MINER_BUSY`.
   */
  async sample(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<Sample> {
    this.#assertPresent();
    const run = this.#run;
    if (this.#state !== 'running' || !run) {
      throw new RigkitError('E_PROCESS_NOT_RUNNING', `miner "${this.id}" is not running`, {
        details: { state: this.#state },
      });
    }
    if (this.#sampling) throw new MinerBusyError(`miner "${this.id}" is already being sampled`);
    this.#sampling = true;
    const timeoutMs = options.timeoutMs ?? this.#supervision.probeTimeoutMs;
    try {
      const sample = await withTimeout(
        (signal) => this.#readSample(run, signal),
        timeoutMs,
        `${this.kind} stats`,
        options.signal ?? run.scope.signal,
      );
      if (this.#run !== run) throw new AbortedError('the run ended while sampling');
      this.#recordSample(run, sample);
      return sample;
    } catch (error) {
      if (this.#run === run) {
        this.#rt.bus.emit('miner.sample.error', {
          minerId: this.id,
          code: isRigkitError(error) ? error.code : 'E_API_RESPONSE',
          message: safeMessage(error),
          time: this.#rt.now(),
        });
      }
      throw error;
    } finally {
      this.#sampling = false;
    }
  }

  /** Subscribes to this miner's events of one type. */
  on<K extends keyof RigkitEvents & string>(
    type: K,
    listener: (payload: RigkitEvents[K]) => void,
  ): Disposer {
    const off = this.#rt.bus.on(type, (payload) => {
      if ((payload as { minerId?: string }).minerId === this.id) listener(payload);
    });
    return this.#scope.defer(off);
  }

  /**
   * @internal Stops the miner and releases everything it owns: `removed` for
   * `manager.remove()`, `stopped` when the whole manager shuts down.
   */
  async dispose(endReason: 'removed' | 'stopped' = 'removed'): Promise<void> {
    if (this.#removed) return;
    this.#supersede();
    await this.#enqueue(() =>
      this.#doStop(endReason, endReason === 'removed' ? 'removed' : 'shutdown'),
    );
    this.#removed = true;
    await this.#scope.dispose();
  }

  // --- operations (always run inside the queue) ------------------------------------------

  #enqueue<T>(operation: () => Promise<T>): Promise<T> {
    try {
      this.#assertPresent();
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#pending >= this.#rt.maxPendingOperations) {
      return Promise.reject(
        new MinerBusyError(
          `miner "${this.id}" has ${this.#pending} operations waiting; try again later`,
        ),
      );
    }
    this.#pending += 1;
    const result = this.#queue.then(operation).finally(() => {
      this.#pending -= 1;
    });
    this.#queue = result.catch(() => {});
    return result;
  }

  async #doStart(epoch: number): Promise<void> {
    this.#assertCurrent(epoch);
    if (this.#state === 'running') return;
    if (this.#state === 'failed') this.#policy.reset();
    if (this.#state === 'backoff') this.#clearBackoff();
    this.#nextRestartAttempt = 0;
    await this.#launchRun('user', epoch);
  }

  /**
   * A stop or restart supersedes every start requested before it: the start in progress is
   * aborted and queued ones are cancelled when their turn comes, so a stop never waits
   * behind a queue of starts.
   */
  #supersede(): number {
    this.#epoch += 1;
    this.#startAbort?.abort();
    return this.#epoch;
  }

  #assertCurrent(epoch: number): void {
    if (epoch !== this.#epoch) {
      throw new AbortedError(
        `a later stop or restart of miner "${this.id}" cancelled this operation`,
      );
    }
  }

  async #doStop(endReason: SessionEndReason, stateReason: string): Promise<void> {
    switch (this.#state) {
      case 'backoff':
        this.#clearBackoff();
        this.#transition('stopped', stateReason);
        return;
      case 'crashed':
        this.#transition('stopped', stateReason);
        return;
      case 'running':
        await this.#endRun(endReason, stateReason);
        this.#transition('stopped', stateReason);
        return;
      default:
        // idle, stopped, failed: nothing is live. (starting/stopping never persist between operations.)
        return;
    }
  }

  /** Starts a new run: `starting`, launch, wait until ready, `running`. Throws if it fails. */
  async #launchRun(reason: string, epoch: number): Promise<void> {
    await this.#rt.ensureStarted();
    this.#assertCurrent(epoch); // a stop may have arrived while we waited
    const generation = ++this.#generation;
    const abort = new AbortController();
    this.#startAbort = abort;
    const scope = this.#scope.child();
    const session: SessionRecord = {
      id: randomUUID(),
      minerId: this.id,
      generation,
      startedAt: this.#rt.now(),
      restartAttempt: this.#nextRestartAttempt,
      shares: { accepted: 0, rejected: 0 },
      samples: 0,
    };
    const run: Run = {
      generation,
      scope,
      ctx: this.#context(scope.signal),
      handle: undefined,
      session,
      hashrateSum: 0,
      watch: undefined,
      guard: this.#makeGuard(),
      paused: false,
    };
    this.#run = run;
    this.#transition('starting', reason);
    try {
      run.handle = await this.#launch(run, abort.signal);
    } catch (error) {
      await scope.dispose();
      // command() may have written files (a config with a token) before the launch failed.
      await this.#cleanup(run);
      this.#run = undefined;
      this.#startAbort = undefined;
      if (abort.signal.aborted) {
        this.#transition('stopping', 'aborted');
        this.#transition('stopped', 'aborted');
        throw new AbortedError(`start of miner "${this.id}" was aborted by stop`);
      }
      this.#logger.warn(
        { code: isRigkitError(error) ? error.code : undefined },
        'miner failed to launch',
      );
      this.#finishSession(session, 'spawn-failed');
      this.#transition('crashed', 'spawn-failed');
      this.#afterFailure('crash', 'spawn-failed');
      throw error;
    }
    this.#emitSession('start', session);

    const outcome = abort.signal.aborted ? 'aborted' : await this.#waitReady(run, abort.signal);
    this.#startAbort = undefined;
    switch (outcome) {
      case 'ready':
        this.#transition('running', reason);
        this.#watch(run);
        this.#watchExit(run);
        return;
      case 'aborted':
        await this.#endRun('aborted', 'aborted');
        this.#transition('stopped', 'aborted');
        throw new AbortedError(`start of miner "${this.id}" was aborted by stop`);
      case 'timeout':
        await this.#endRun('start-timeout', 'start-timeout');
        this.#afterFailure('health', 'start-timeout');
        throw new RigkitError(
          'E_START_TIMEOUT',
          `miner "${this.id}" did not become ready in time`,
          {
            details: { timeoutMs: this.#supervision.startTimeoutMs },
          },
        );
      case 'exited': {
        const exit = await (run.handle as RunHandle).exited;
        this.#lastExit = exit;
        await scope.dispose();
        await this.#cleanup(run);
        this.#run = undefined;
        this.#finishSession(session, 'exit', exit);
        this.#transition('crashed', 'exit');
        this.#afterFailure('crash', 'exit');
        throw new RigkitError('E_PROCESS_EXIT', `miner "${this.id}" exited while starting`, {
          details: { code: exit.code, signal: exit.signal },
        });
      }
    }
  }

  async #launch(run: Run, signal: AbortSignal): Promise<RunHandle> {
    if (this.#adapter.runner) {
      const runner = this.#adapter.runner(this.#options, run.ctx);
      return startRunner(runner, signal, this.#rt.now);
    }
    const spec = await (this.#adapter.command as NonNullable<AnyAdapter['command']>)(
      this.#options,
      run.ctx,
    );
    return this.#rt.launcher.launch(spec, {
      minerId: this.id,
      logger: this.#logger,
      onLine: (stream, text, truncated) => this.#onLine(run, stream, text, truncated),
    });
  }

  /** Probes until ready, racing the process exit, the abort signal and the start deadline. */
  #waitReady(run: Run, abort: AbortSignal): Promise<ReadyOutcome> {
    const handle = run.handle as RunHandle;
    const { startTimeoutMs, readyPollMs, probeTimeoutMs } = this.#supervision;
    const deadline = this.#rt.now() + startTimeoutMs;
    const waiting = new AbortController();
    return new Promise<ReadyOutcome>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: ReadyOutcome) => {
        if (waiting.signal.aborted) return;
        waiting.abort();
        clearTimeout(timer);
        abort.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const onAbort = () => finish('aborted');
      abort.addEventListener('abort', onAbort, { once: true });
      handle.exited.then(() => finish('exited'));
      const attempt = async () => {
        if (waiting.signal.aborted) return;
        const left = deadline - this.#rt.now();
        if (left <= 0) return finish('timeout');
        try {
          const report = await withTimeout(
            (signal) => this.#probe(run, signal),
            Math.min(probeTimeoutMs, left),
            `${this.kind} readiness probe`,
            waiting.signal,
          );
          if (report.ready ?? report.healthy) return finish('ready');
        } catch {
          // Not ready yet (API not listening, timeout): keep polling until the deadline.
        }
        if (!waiting.signal.aborted)
          timer = setTimeout(attempt, Math.min(readyPollMs, Math.max(0, left)));
      };
      void attempt();
    });
  }

  /** Stops the live run (stop signal → grace → SIGKILL) and closes its session. */
  async #endRun(endReason: SessionEndReason, stateReason: string): Promise<void> {
    const run = this.#run;
    if (!run) return;
    this.#transition('stopping', stateReason);
    const exit = run.handle
      ? await run.handle.stop({ graceMs: this.#supervision.stopGraceMs })
      : undefined;
    this.#lastExit = exit;
    await run.scope.dispose();
    await this.#cleanup(run);
    if (this.#run === run) this.#run = undefined;
    this.#finishSession(run.session, endReason, exit);
  }

  #watchExit(run: Run): void {
    (run.handle as RunHandle).exited.then((exit) => {
      // Serialised: by the time this runs, a stop or restart may already own the exit.
      void this.#enqueue(async () => {
        if (this.#run !== run || this.#state !== 'running') return; // stale generation or expected
        this.#lastExit = exit;
        await run.scope.dispose();
        await this.#cleanup(run);
        this.#run = undefined;
        this.#finishSession(run.session, 'exit', exit);
        this.#transition('crashed', 'exit');
        this.#afterFailure('crash', 'exit');
      }).catch(() => {});
    });
  }

  #watch(run: Run): void {
    const watch = new HealthWatch({
      scope: run.scope,
      options: this.#supervision,
      now: this.#rt.now,
      startedAt: this.#rt.now(),
      probe: (signal) => this.#probe(run, signal),
      onObservation: (o) => {
        this.#rt.bus.emit('miner.health', {
          minerId: this.id,
          healthy: o.healthy,
          consecutiveFailures: o.consecutiveFailures,
          ...(o.report ? { report: o.report } : {}),
          ...(o.code ? { code: o.code } : {}),
          time: this.#rt.now(),
        });
      },
      onVerdict: (reason) => {
        void this.#enqueue(async () => {
          if (this.#run !== run || this.#state !== 'running') return;
          this.#logger.warn({ reason }, 'miner unhealthy; restarting');
          await this.#endRun(reason, reason);
          this.#afterFailure('health', reason);
        }).catch(() => {});
      },
    });
    run.watch = watch;
    watch.start();
  }

  /** After a crash or an unhealthy run: schedule a restart with backoff, or give up. */
  #afterFailure(kind: 'crash' | 'health', reason: RestartReason): void {
    const decision = this.#policy.decide(this.#rt.now(), kind);
    if (decision.action === 'give-up') {
      this.#transition('failed', decision.reason);
      this.#logger.error({ reason: decision.reason, restarts: decision.restarts }, 'miner gave up');
      return;
    }
    this.#scheduleRestart(reason, decision.attempt, decision.delayMs);
  }

  /** `backoff` for `delayMs`, then a new run (unless a stop or restart came first). */
  #scheduleRestart(reason: RestartReason, attempt: number, delayMs: number): void {
    this.#emitRestart(reason, attempt, delayMs);
    this.#transition('backoff', reason);
    const generation = this.#generation;
    const epoch = this.#epoch;
    this.#cancelBackoff = this.#scope.setTimeout(() => {
      this.#cancelBackoff = undefined;
      void this.#enqueue(async () => {
        if (this.#state !== 'backoff' || this.#generation !== generation) return;
        this.#nextRestartAttempt = attempt;
        await this.#launchRun(reason, epoch);
      }).catch((error: unknown) => {
        this.#logger.warn(
          { code: isRigkitError(error) ? error.code : undefined },
          'restart failed',
        );
      });
    }, delayMs);
  }

  #clearBackoff(): void {
    this.#cancelBackoff?.();
    this.#cancelBackoff = undefined;
  }

  // --- temperature guard -----------------------------------------------------------------

  #makeGuard(): TemperatureGuard | undefined {
    const { temperatureLimitC, temperatureResumeC, temperatureSamples } = this.#supervision;
    if (temperatureLimitC <= 0) return undefined;
    return new TemperatureGuard({
      limitC: temperatureLimitC,
      resumeC: temperatureResumeC > 0 ? temperatureResumeC : temperatureLimitC - 10,
      samples: temperatureSamples,
    });
  }

  #onGuard(run: Run, decision: NonNullable<GuardDecision>): void {
    const { temperatureAction, temperatureLimitC, temperatureCooldownMs } = this.#supervision;
    const emit = (action: 'pause' | 'resume' | 'stop') =>
      this.#rt.bus.emit('miner.guard', {
        minerId: this.id,
        action,
        reason: action === 'resume' ? 'cooled' : 'overheat',
        device: decision.device,
        temperatureC: decision.temperatureC,
        limitC: temperatureLimitC,
        time: this.#rt.now(),
      });
    const canPause = this.#adapter.pause !== undefined && this.#adapter.resume !== undefined;
    if (decision.action === 'resume') {
      if (!run.paused) return;
      run.paused = false;
      run.watch?.setPaused(false);
      emit('resume');
      this.#adapter.resume?.(this.#options, run.ctx).catch((error: unknown) => {
        this.#logger.warn(
          { code: isRigkitError(error) ? error.code : undefined },
          'resume after cool-down failed',
        );
      });
      return;
    }
    if (temperatureAction === 'pause' && canPause) {
      run.paused = true;
      run.watch?.setPaused(true);
      emit('pause');
      this.#adapter.pause?.(this.#options, run.ctx).catch((error: unknown) => {
        this.#logger.warn(
          { code: isRigkitError(error) ? error.code : undefined },
          'pause for cool-down failed',
        );
      });
      return;
    }
    emit('stop');
    void this.#enqueue(async () => {
      if (this.#run !== run || this.#state !== 'running') return;
      this.#logger.warn(
        { device: decision.device, temperatureC: decision.temperatureC },
        'miner too hot; stopping',
      );
      await this.#endRun('overheat', 'overheat');
      if (temperatureCooldownMs === 0) {
        this.#transition('stopped', 'overheat');
        return;
      }
      this.#scheduleRestart('overheat', 0, temperatureCooldownMs);
    }).catch(() => {});
  }

  // --- helpers -----------------------------------------------------------------------------

  #transition(to: MinerState, reason: string): void {
    const from = this.#state;
    assertTransition(from, to);
    this.#state = to;
    this.#rt.bus.emit('miner.state', {
      minerId: this.id,
      from,
      to,
      generation: this.#generation,
      reason,
      time: this.#rt.now(),
    });
    this.#safeSink(() =>
      this.#rt.sink?.recordEvent?.({
        minerId: this.id,
        type: 'miner.state',
        time: this.#rt.now(),
        data: { from, to, reason, generation: this.#generation },
      }),
    );
  }

  #emitRestart(reason: RestartReason, attempt: number, delayMs: number): void {
    const time = this.#rt.now();
    this.#rt.bus.emit('miner.restart', { minerId: this.id, reason, attempt, delayMs, time });
    this.#safeSink(() =>
      this.#rt.sink?.recordEvent?.({
        minerId: this.id,
        type: 'miner.restart',
        time,
        data: { reason, attempt, delayMs },
      }),
    );
  }

  #emitSession(phase: 'start' | 'end', session: SessionRecord): void {
    this.#rt.bus.emit('miner.session', { minerId: this.id, phase, session: { ...session } });
    this.#safeSink(() => this.#rt.sink?.recordSession?.({ ...session }));
  }

  #finishSession(session: SessionRecord, endReason: SessionEndReason, exit?: ExitInfo): void {
    session.endedAt = exit?.time ?? this.#rt.now();
    session.endReason = endReason;
    if (exit) {
      session.exitCode = exit.code;
      session.signal = exit.signal;
    }
    this.#emitSession('end', session);
  }

  #recordSample(run: Run, sample: Sample): void {
    this.#lastSample = sample;
    this.history.append(sample.time, sample.hashrate);
    run.session.samples += 1;
    if (sample.hashrate !== undefined && Number.isFinite(sample.hashrate)) {
      run.hashrateSum += sample.hashrate;
      run.session.avgHashrate = run.hashrateSum / run.session.samples;
    }
    if (sample.shares)
      run.session.shares = { accepted: sample.shares.accepted, rejected: sample.shares.rejected };
    run.watch?.observeHashrate(sample.hashrate);
    this.#rt.bus.emit('miner.sample', { minerId: this.id, sample });
    const decision = run.guard?.observe(sample.devices);
    if (decision) this.#onGuard(run, decision);
    this.#safeSink(() => this.#rt.sink?.writeSample(this.id, sample));
  }

  async #readSample(run: Run, signal: AbortSignal): Promise<Sample> {
    if (this.#adapter.stats) return this.#adapter.stats(this.#options, run.ctx, signal);
    const report = await this.#probe(run, signal);
    return { time: this.#rt.now(), hashrate: report.hashrate };
  }

  #probe(run: Run, signal: AbortSignal): Promise<HealthReport> {
    return this.#adapter.probe(this.#options, run.ctx, signal);
  }

  #onLine(run: Run, stream: 'stdout' | 'stderr', text: string, truncated: boolean): void {
    if (this.#run !== run) return;
    const entry = this.logs.push(this.#rt.now(), stream, text, truncated);
    let event: ReturnType<NonNullable<AnyAdapter['parseLine']>>;
    try {
      event = this.#adapter.parseLine?.(text, stream);
    } catch {
      event = undefined; // garbage output must never break supervision
    }
    this.#rt.bus.emit(
      'miner.log',
      event ? { minerId: this.id, entry, event } : { minerId: this.id, entry },
    );
  }

  #context(signal: AbortSignal): AdapterContext {
    return {
      minerId: this.id,
      logger: this.#logger,
      dataDir: this.#dataDir,
      getFreePort: this.#rt.getFreePort,
      session: {},
      signal,
      emit: (type, payload) => {
        if (signal.aborted) return; // a run that ended must not speak for the next one
        this.#rt.bus.emit(type, { ...payload, minerId: this.id, time: this.#rt.now() } as never);
      },
    };
  }

  async #cleanup(run: Run): Promise<void> {
    if (!this.#adapter.cleanup) return;
    try {
      await this.#adapter.cleanup(this.#options, run.ctx);
    } catch (error) {
      this.#logger.warn(
        { code: isRigkitError(error) ? error.code : undefined },
        'adapter cleanup failed',
      );
    }
  }

  #safeSink(write: () => void): void {
    try {
      write();
    } catch (error) {
      this.#logger.error(
        { code: isRigkitError(error) ? error.code : undefined },
        'history sink failed',
      );
    }
  }

  #assertPresent(): void {
    if (this.#removed) throw new MinerNotFoundError(this.id);
  }

  /** @internal True while a process or runner may be alive (for leak checks). */
  get live(): boolean {
    return LIVE_STATES.has(this.#state) || this.#run !== undefined;
  }
}

function safeMessage(error: unknown): string {
  // Adapters must not put secrets in errors; we still never forward a non-Rigkit message.
  return isRigkitError(error) ? error.message : 'the miner API returned an unusable answer';
}
