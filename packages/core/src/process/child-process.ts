/**
 * Spawning and stopping miner processes.
 *
 * Platform notes. Linux is the tested platform. Everything here relies on two POSIX/Linux
 * features:
 * - process groups: a child is spawned `detached`, so it leads its own group and a stop
 *   signal reaches its grandchildren too. macOS has them as well. On Windows there are none:
 *   stop and kill signal the child alone (Node turns that into `TerminateProcess`), and
 *   grandchildren may survive.
 * - `/proc/<pid>/stat` and `/proc/<pid>/cmdline`, for the fingerprints written to pidfiles.
 *   Only Linux has them in this form. Elsewhere no pidfile is written and `reapOrphans`
 *   signals nothing, so orphans of a crashed manager are not reaped off Linux.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { execa, type ResultPromise } from 'execa';
import type { ProcessSpec } from '../adapter/adapter.js';
import { RigkitError } from '../errors/rigkit-error.js';
import type { Logger } from '../logger.js';
import { LineSplitter } from './line-splitter.js';
import type { PidfileStore } from './pidfile.js';
import { readProcessFingerprint } from './proc-stat.js';
import { signalProcessGroup } from './signal-process-group.js';
import { terminateOnExit } from './terminate-on-exit.js';

const DEFAULT_GRACE_MS = 5000;
/**
 * After the child exits, how long its stdout/stderr may stay open. They close at once unless
 * a process outside the child's group inherited them; then they are cut off, or `exited`
 * would wait for a stranger.
 */
const STREAM_DRAIN_MS = 1000;

/** How a child process ended. */
export interface ExitInfo {
  /** Exit code, or `null` when a signal ended the process. */
  code: number | null;
  /** The signal that ended the process, or `null` when it exited by itself. */
  signal: NodeJS.Signals | null;
  /** When the exit was observed, in ms since the epoch. */
  time: number;
}

/** One line of a child's output, without its line ending. */
export interface ChildLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** The line was longer than `maxLineLength` and was cut there; the rest was dropped. */
  truncated: boolean;
}

/** Options of {@link spawnChild}. */
export interface SpawnChildOptions {
  logger: Logger;
  /** Longest line passed to `onLine`, in UTF-16 code units. Default 16 KiB. */
  maxLineLength?: number;
  /**
   * Receives every line of stdout and stderr, in order per stream. Called synchronously from
   * stream events; it should be cheap and must not throw (a throw is logged and ignored).
   * No call happens after {@link ChildHandle.exited} resolves.
   */
  onLine: (line: ChildLine) => void;
  /** Where to record the child while it runs, so a crashed manager's orphans can be reaped. */
  pidfiles?: { store: PidfileStore; minerId: string };
}

/** Options of {@link ChildHandle.stop}. */
export interface StopOptions {
  /** Signal sent first. Default: the spec's `stopSignal`, else `SIGTERM`. */
  signal?: NodeJS.Signals;
  /** Time to exit after that signal before SIGKILL. Default: the spec's `graceMs`, else 5000. */
  graceMs?: number;
}

/** A running child process, owned by whoever called {@link spawnChild}. */
export interface ChildHandle {
  /** The child's pid, which is also its process group id. */
  readonly pid: number;
  /**
   * Resolves once the child has exited, its stdout and stderr have ended (so every line has
   * been delivered) and its pidfile is removed. Never rejects.
   */
  readonly exited: Promise<ExitInfo>;
  /**
   * Writes to the child's stdin. Returns the stream's backpressure flag: `false` means wait
   * for the child to read before writing more.
   * @throws {RigkitError} `E_PROCESS_NOT_RUNNING` once the child has exited; a write then
   * would be lost silently.
   */
  write(data: string): boolean;
  /**
   * Sends the stop signal to the child's whole process group, waits up to `graceMs` for the
   * child to exit, then SIGKILLs the group. Idempotent: later calls return the first call's
   * promise, whatever their options. Resolves like {@link exited}; never rejects.
   */
  stop(options?: StopOptions): Promise<ExitInfo>;
  /** SIGKILLs the whole process group now, even during a {@link stop}. Resolves like {@link exited}. */
  kill(): Promise<ExitInfo>;
  /** `stop()` with the spec's defaults, for `await using` and scopes. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Spawns `spec.file` with `spec.args` — an argument array, never through a shell — as the
 * leader of a new process group, and resolves once it runs (and its pidfile is written, when
 * `options.pidfiles` is given and the platform allows; a failed pidfile write is logged, not
 * fatal, since it only matters if the manager crashes).
 *
 * Output is never buffered: each stream is split into lines of bounded length and handed to
 * `onLine`. When the child exits, whatever is left of its process group is SIGKILLed, so
 * nothing a miner started outlives it.
 *
 * @throws {RigkitError} `E_PROCESS_SPAWN` when the process cannot be started (missing file,
 * no permission, bad cwd). The message names the file but never the arguments, which may
 * hold passwords; `details` holds `file` and the system error `code`.
 */
export async function spawnChild(
  spec: ProcessSpec,
  options: SpawnChildOptions,
): Promise<ChildHandle> {
  const { logger } = options;
  // A copy: the caller's array is readonly to us and may be reused.
  const args = [...spec.args];
  const subprocess: Subprocess = execa(spec.file, args, {
    // Never a shell: arguments reach the miner exactly as given.
    shell: false,
    detached: true,
    // A no-op for detached children (execa skips them); terminateOnExit does this job.
    cleanup: true,
    stdin: 'pipe',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    encoding: 'buffer',
    reject: false,
    // Stop and kill are ours: grace period, process group, idempotence.
    forceKillAfterDelay: false,
    extendEnv: true,
    ...(spec.env === undefined ? {} : { env: spec.env }),
    ...(spec.cwd === undefined ? {} : { cwd: spec.cwd }),
  });

  const failure = await new Promise<string | undefined>((resolve) => {
    const onSpawn = (): void => {
      subprocess.off('error', onError);
      resolve(undefined);
    };
    const onError = (error: NodeJS.ErrnoException): void => {
      subprocess.off('spawn', onSpawn);
      resolve(error.code ?? 'UNKNOWN');
    };
    subprocess.once('spawn', onSpawn);
    subprocess.once('error', onError);
    // Errors thrown synchronously by child_process.spawn (invalid file name) emit no event;
    // execa then settles its promise at once with a failed result instead.
    subprocess.then(
      (result) => {
        subprocess.off('spawn', onSpawn);
        subprocess.off('error', onError);
        resolve(result.failed && 'code' in result ? String(result.code ?? 'UNKNOWN') : undefined);
      },
      () => resolve('UNKNOWN'),
    );
  });
  const pid = subprocess.pid;
  if (failure !== undefined || pid === undefined) {
    const code = failure ?? 'UNKNOWN';
    // execa's own error is not attached as the cause: its message lists every argument.
    logger.warn({ file: spec.file, code }, 'could not spawn process');
    throw new RigkitError('E_PROCESS_SPAWN', `could not spawn "${spec.file}": ${code}`, {
      details: { file: spec.file, code },
    });
  }

  return ChildProcessHandle.start(pid, subprocess, spec, options);
}

type Subprocess = ResultPromise<{
  stdin: 'pipe';
  stdout: 'pipe';
  stderr: 'pipe';
  encoding: 'buffer';
  buffer: false;
  reject: false;
}>;

class ChildProcessHandle implements ChildHandle {
  readonly pid: number;
  readonly exited: Promise<ExitInfo>;
  readonly #subprocess: Subprocess;
  readonly #spec: ProcessSpec;
  readonly #logger: Logger;
  /** Resolves at the `exit` event, before the streams have necessarily ended. */
  readonly #processExited: Promise<ExitInfo>;
  /** Set at the `exit` event; from then on the pid may belong to someone else. */
  #exit: ExitInfo | undefined;
  #stopping: Promise<ExitInfo> | undefined;
  /** Set once `exited` resolved: late stream events must not reach `onLine`. */
  #closed = false;
  /** Settles once the pidfile write was attempted (it never rejects). */
  readonly #pidfileWritten: Promise<void>;

  /** Builds the handle and waits for its pidfile, so the caller never sees an unrecorded child. */
  static async start(
    pid: number,
    subprocess: Subprocess,
    spec: ProcessSpec,
    options: SpawnChildOptions,
  ): Promise<ChildProcessHandle> {
    const handle = new ChildProcessHandle(pid, subprocess, spec, options);
    await handle.#pidfileWritten;
    return handle;
  }

  constructor(pid: number, subprocess: Subprocess, spec: ProcessSpec, options: SpawnChildOptions) {
    this.pid = pid;
    this.#subprocess = subprocess;
    this.#spec = spec;
    this.#logger = options.logger;
    const untrack = terminateOnExit(pid);

    this.#processExited = new Promise<ExitInfo>((resolve) => {
      subprocess.once('exit', (code, signal) => {
        this.#exit = { code, signal, time: Date.now() };
        untrack();
        resolve(this.#exit);
      });
    });
    // A write racing the child's exit fails with EPIPE after the fact; execa already ignores
    // it for the result, this keeps it from being an unhandled 'error' event.
    subprocess.stdin.on('error', ignore);

    const streamsEnded = Promise.all([
      this.#readLines(subprocess.stdout, 'stdout', options),
      this.#readLines(subprocess.stderr, 'stderr', options),
    ]);
    this.#pidfileWritten = this.#writePidfile(options.pidfiles);
    this.exited = this.#finish(streamsEnded, options.pidfiles);
  }

  write(data: string): boolean {
    const stdin = this.#subprocess.stdin;
    if (this.#exit !== undefined || !stdin.writable) {
      throw new RigkitError('E_PROCESS_NOT_RUNNING', `process ${this.pid} has exited`, {
        details: { pid: this.pid },
      });
    }
    return stdin.write(data);
  }

  stop(options: StopOptions = {}): Promise<ExitInfo> {
    this.#stopping ??= this.#stop(
      options.signal ?? this.#spec.stopSignal ?? 'SIGTERM',
      options.graceMs ?? this.#spec.graceMs ?? DEFAULT_GRACE_MS,
    );
    return this.#stopping;
  }

  kill(): Promise<ExitInfo> {
    this.#signal('SIGKILL');
    return this.exited;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  async #stop(signal: NodeJS.Signals, graceMs: number): Promise<ExitInfo> {
    if (this.#exit === undefined) {
      this.#signal(signal);
      const timer = setTimeout(() => this.#signal('SIGKILL'), graceMs);
      try {
        await this.#processExited;
      } finally {
        clearTimeout(timer);
      }
    }
    return this.exited;
  }

  /** Signals the group, or the child alone where groups are missing or it left its group. */
  #signal(signal: NodeJS.Signals): void {
    // Once exited, the pid may be reused: signalling it could hit a stranger.
    if (this.#exit !== undefined) return;
    try {
      if (!signalProcessGroup(this.pid, signal)) this.#subprocess.kill(signal);
    } catch (error) {
      this.#logger.warn({ pid: this.pid, signal, err: errorCode(error) }, 'could not signal');
    }
  }

  #readLines(
    stream: Readable,
    name: ChildLine['stream'],
    { onLine, maxLineLength }: SpawnChildOptions,
  ): Promise<void> {
    const splitter = new LineSplitter(
      (text, truncated) => {
        if (this.#closed) return;
        try {
          onLine({ stream: name, text, truncated });
        } catch (error) {
          this.#logger.error({ pid: this.pid, err: error }, 'onLine callback threw');
        }
      },
      maxLineLength === undefined ? {} : { maxLineLength },
    );
    return new Promise<void>((resolve) => {
      const onData = (chunk: Buffer): void => splitter.push(chunk);
      const done = (): void => {
        stream.off('data', onData);
        stream.off('end', done);
        stream.off('close', done);
        splitter.end();
        resolve();
      };
      stream.on('data', onData);
      // 'close' without 'end' when the stream is destroyed or fails.
      stream.once('end', done);
      stream.once('close', done);
      stream.on('error', ignore);
    });
  }

  async #writePidfile(pidfiles: SpawnChildOptions['pidfiles']): Promise<void> {
    if (pidfiles === undefined) return;
    try {
      // Undefined off Linux, or when the child already exited: nothing to record either way.
      const fingerprint = await readProcessFingerprint(this.pid);
      // Node emits 'exit' in the same callback that reaps the child, so no 'exit' yet means
      // the pid was still ours during the whole read, not recycled by a stranger.
      if (fingerprint === undefined || this.#exit !== undefined) return;
      await pidfiles.store.write(pidfiles.minerId, fingerprint);
    } catch (error) {
      this.#logger.warn(
        { pid: this.pid, minerId: pidfiles.minerId, err: errorCode(error) },
        'could not write pidfile; this child will not be reaped after a crash',
      );
    }
  }

  async #finish(
    streamsEnded: Promise<unknown>,
    pidfiles: SpawnChildOptions['pidfiles'],
  ): Promise<ExitInfo> {
    const exit = await this.#processExited;
    // The group id stays reserved while any member lives, so this cannot hit a stranger.
    try {
      signalProcessGroup(this.pid, 'SIGKILL');
    } catch {
      // Nothing left to kill.
    }

    let drainTimer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      streamsEnded.then(() => true),
      new Promise<boolean>((resolve) => {
        drainTimer = setTimeout(resolve, STREAM_DRAIN_MS, false);
      }),
    ]);
    clearTimeout(drainTimer);
    if (!drained) {
      this.#logger.warn({ pid: this.pid }, 'output still open after exit; closing it');
      this.#subprocess.stdout.destroy();
      this.#subprocess.stderr.destroy();
      await streamsEnded;
    }
    this.#closed = true;
    // reject: false, so this settles with a result; it also means execa's own listeners are done.
    await this.#subprocess.catch(ignore);

    // A pidfile write still in flight must land before it is removed, or it would outlive us.
    await this.#pidfileWritten;
    if (pidfiles !== undefined) {
      try {
        await pidfiles.store.remove(pidfiles.minerId);
      } catch (error) {
        this.#logger.warn(
          { pid: this.pid, minerId: pidfiles.minerId, err: errorCode(error) },
          'could not remove pidfile',
        );
      }
    }
    return exit;
  }
}

function ignore(): void {}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? String(error);
}
