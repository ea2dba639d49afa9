import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { AdapterEventPayload, AdapterEventType } from '../events/rigkit-events.js';
import type { Logger } from '../logger.js';
import type { HealthReport, MinerEvent, Sample } from './sample.js';

/** Contract versions this core understands. */
export type AdapterApiVersion = 1;

/** How to run a miner as a child process. Core spawns it with execa, never through a shell. */
export interface ProcessSpec {
  /** Executable path or name on PATH. */
  file: string;
  /** Arguments, one element each: nothing is ever joined or parsed by a shell. */
  args: readonly string[];
  /** Extra environment variables, merged over the parent's. */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
  /** Signal that asks the miner to exit. Default `SIGTERM`. */
  stopSignal?: NodeJS.Signals;
  /** How long the miner may take to exit before it is SIGKILLed. Default 5000 ms. */
  graceMs?: number;
}

/** Something that runs inside the Node process instead of as a child (the stratum proxy). */
export interface InProcessRunner {
  /** Starts serving. Resolves when ready; rejects if it cannot start. */
  start(signal: AbortSignal): Promise<void>;
  /** Stops and releases every resource. Must be idempotent. */
  stop(signal: AbortSignal): Promise<void>;
  /**
   * Settles when the runner ends by itself (rejects on a crash). Core treats that like a
   * process exit. Optional: runners that never end on their own omit it.
   */
  readonly done?: Promise<void>;
}

/** What an adapter receives about the miner it serves. */
export interface AdapterContext<Session extends object = Record<string, unknown>> {
  /** Stable miner id. */
  readonly minerId: string;
  /** A child logger bound to this miner. */
  readonly logger: Logger;
  /** A directory private to this miner (config files, downloads). Created on demand by core. */
  readonly dataDir: string;
  /** A free TCP port on 127.0.0.1 right now (there is always a small race; retry on EADDRINUSE). */
  getFreePort(): Promise<number>;
  /**
   * Per-start state: a fresh object before every `command()`/`runner()` call, shared with the
   * `probe()`/`stats()` calls of the same run (ports, tokens chosen at start).
   */
  readonly session: Session;
  /** Fires when the miner is stopped or this run ends. */
  readonly signal: AbortSignal;
  /**
   * Publishes one of the adapter events (`proxy.*`) on the manager's event bus; core adds the
   * miner id and the time. Events emitted after the run ended are dropped.
   */
  emit<T extends AdapterEventType>(type: T, payload: AdapterEventPayload<T>): void;
}

/** Result of {@link Adapter.detect}. */
export interface DetectResult {
  found: boolean;
  path?: string;
  version?: string;
  message?: string;
}

/** Progress reports from {@link Adapter.install}. */
export type InstallProgress = (update: { phase: string; done?: number; total?: number }) => void;

/** Supervision settings an adapter may suggest (a user's settings win). */
export interface AdapterSupervisionDefaults {
  /** Time after start during which stall and drop checks do not act (e.g. TT-Miner's warm-up). */
  warmupMs?: number;
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
  /**
   * Zero hashrate for this long means "stalled"; 0 turns the check off. For adapters whose
   * hashrate is not their own work (the stratum proxy: no miners is not a fault).
   */
  stallTimeoutMs?: number;
}

/**
 * A miner adapter: plain data plus narrow functions. Core owns processes, timers and restarts;
 * the adapter only says how to launch, probe and read the miner.
 *
 * Exactly one of `command` and `runner` must be present.
 */
export interface Adapter<Options = unknown, Session extends object = Record<string, unknown>> {
  readonly apiVersion: AdapterApiVersion;
  /** Short identifier used in `manager.create({ kind })`, e.g. `xmrig`. */
  readonly kind: string;
  readonly meta: {
    /** npm package name. */
    readonly name: string;
    readonly version: string;
    /** semver range of `@rigkit/core` versions this adapter works with, checked at registration. */
    readonly core: string;
  };
  /** Standard Schema for user options; core validates with it and reports every issue. */
  readonly options: StandardSchemaV1<unknown, Options>;
  readonly supervision?: AdapterSupervisionDefaults;
  command?(options: Options, ctx: AdapterContext<Session>): ProcessSpec | Promise<ProcessSpec>;
  runner?(options: Options, ctx: AdapterContext<Session>): InProcessRunner;
  probe(options: Options, ctx: AdapterContext<Session>, signal: AbortSignal): Promise<HealthReport>;
  stats?(options: Options, ctx: AdapterContext<Session>, signal: AbortSignal): Promise<Sample>;
  parseLine?(line: string, stream: 'stdout' | 'stderr'): MinerEvent | undefined;
  detect?(ctx: { logger: Logger; signal: AbortSignal }): Promise<DetectResult>;
  install?(
    ctx: { logger: Logger; dataDir: string; signal: AbortSignal },
    progress: InstallProgress,
  ): Promise<DetectResult>;
  /**
   * Pauses mining without stopping the process (e.g. a stdin key or an API call). Optional:
   * the temperature guard uses it and falls back to stopping the run without it.
   */
  pause?(options: Options, ctx: AdapterContext<Session>): Promise<void>;
  /** Undoes {@link Adapter.pause}. Required when `pause` is present. */
  resume?(options: Options, ctx: AdapterContext<Session>): Promise<void>;
  /** Called after the miner's run ended (files written by `command()` can be removed here). */
  cleanup?(options: Options, ctx: AdapterContext<Session>): Promise<void>;
}

/** Any adapter, for collections that mix kinds. */
// biome-ignore lint/suspicious/noExplicitAny: adapters of every option type must fit here.
export type AnyAdapter = Adapter<any, any>;
