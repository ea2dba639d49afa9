import type { ProcessSpec } from '../adapter/adapter.js';
import type { Logger } from '../logger.js';

/** How a run ended. */
export interface ExitInfo {
  /** Exit code, or `null` when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** When the exit was observed, ms since the epoch. */
  time: number;
  /** For in-process runners that failed: the error (never shown to API clients as is). */
  error?: unknown;
}

/** A running miner process (or in-process runner) as core sees it. */
export interface RunHandle {
  readonly pid: number | undefined;
  /** Settles once, when the run has ended and its output is drained. Never rejects. */
  readonly exited: Promise<ExitInfo>;
  /** Writes to the miner's stdin; false when it cannot (not a process, or gone). */
  write(data: string): boolean;
  /** Stop signal, then SIGKILL after `graceMs`. Idempotent. */
  stop(options: { signal?: NodeJS.Signals; graceMs: number }): Promise<ExitInfo>;
}

/** Where a launched process sends its output. */
export interface LaunchIO {
  readonly minerId: string;
  readonly logger: Logger;
  onLine(stream: 'stdout' | 'stderr', text: string, truncated: boolean): void;
}

/**
 * Starts processes for miners. Core's default spawns real children with execa; tests and
 * embedders may pass their own (the lifecycle property test uses an in-memory one).
 */
export interface Launcher {
  launch(spec: ProcessSpec, io: LaunchIO): Promise<RunHandle>;
  /** Kills processes left behind by a previous manager that crashed. Optional. */
  reapOrphans?(logger: Logger): Promise<void>;
}
