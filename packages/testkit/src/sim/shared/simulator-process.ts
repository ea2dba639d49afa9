import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stripAnsi } from './ansi.js';

/** How a simulator process ended. */
export interface SimulatorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What {@link SimulatorProcess.waitForLine} waits with. */
export interface WaitForLineOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** `start`: a matching line printed earlier counts too. Default `now`: only lines to come. */
  since?: 'now' | 'start';
}

/** How {@link spawnSimulator} runs a simulator program. */
export interface SpawnSimulatorOptions {
  /** The program's name, for error messages (`rigkit-sim-xmrig`). */
  name: string;
  /** The built script (`dist/sim-*.js`), run with Node. */
  script: string;
  args: readonly string[];
  env?: NodeJS.ProcessEnv | undefined;
  cwd?: string | undefined;
  /** stdout lines kept in {@link SimulatorProcess.lines} (default 2000, oldest dropped). */
  maxLines?: number | undefined;
  /** The Node binary (default: the current one). */
  nodePath?: string | undefined;
}

/** A running simulator program, whatever it simulates. */
export interface SimulatorProcess {
  readonly process: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** The last stdout lines as printed (with colours unless they were turned off). */
  readonly lines: readonly string[];
  /** Everything written to stderr (the first 64 KiB). */
  readonly stderr: string;
  /** Settles when the process has exited. */
  readonly exited: Promise<SimulatorExit>;
  /**
   * Resolves with the next stdout line (colours removed) that matches `pattern`; rejects after
   * the timeout or when stdout closes first. Call it before doing what prints the line.
   */
  waitForLine(pattern: RegExp, options?: WaitForLineOptions): Promise<string>;
  /** Writes to stdin (ignored once the process is gone). */
  write(text: string): void;
  /**
   * Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `timeoutMs`
   * (default 5 s). Resolves with the exit at once if the process has already exited.
   */
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<SimulatorExit>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A spawned simulator and the hooks its `start*Simulator` function builds on. */
export interface SpawnedSimulator {
  sim: SimulatorProcess;
  /** Calls `listener` with every stdout line, colours removed (for reading a banner). */
  onLine(listener: (plain: string) => void): void;
  /**
   * Waits for a start-up line matching `pattern` (printed so far or to come). On a timeout, a
   * spawn error or an early exit it kills the process and throws with its exit and stderr.
   */
  awaitStartup(pattern: RegExp, timeoutMs: number): Promise<string>;
}

const MAX_STDERR = 64 * 1024;

/**
 * Spawns a simulator program (`node <script> <args>`) with piped stdio and tracks it: bounded
 * stdout lines, the first 64 KiB of stderr, `waitForLine`, and a `stop` that escalates to
 * SIGKILL. Shared by `startXmrigSimulator` and `startTtminerSimulator`.
 */
export function spawnSimulator(options: SpawnSimulatorOptions): SpawnedSimulator {
  const child = spawn(options.nodePath ?? process.execPath, [options.script, ...options.args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Writing to a simulator that is gone must not crash the test.
  child.stdin.on('error', () => {});
  const maxLines = options.maxLines ?? 2000;
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  const listeners: Array<(line: string) => void> = [];
  let stderr = '';
  let stdoutClosed = false;
  const closeListeners = new Set<() => void>();

  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < MAX_STDERR)
      stderr += chunk.toString('utf8').slice(0, MAX_STDERR - stderr.length);
  });
  const reader = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  reader.on('line', (line) => {
    lines.push(line);
    if (lines.length > maxLines) lines.shift();
    const plain = stripAnsi(line);
    for (const listener of listeners) listener(plain);
    for (const waiter of [...waiters]) waiter(plain);
  });
  reader.on('close', () => {
    stdoutClosed = true;
    for (const listener of [...closeListeners]) listener();
  });

  const exited = new Promise<SimulatorExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  // spawn errors (ENOENT for a wrong nodePath) surface through awaitStartup.
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => {});

  const waitForLine = (pattern: RegExp, waitOptions: WaitForLineOptions = {}): Promise<string> => {
    if (waitOptions.since === 'start') {
      const seen = lines.map(stripAnsi).find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
    }
    const timeoutMs = waitOptions.timeoutMs ?? 10_000;
    return new Promise<string>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(onLine);
        closeListeners.delete(onClose);
      };
      const onLine = (line: string) => {
        if (!pattern.test(line)) return;
        cleanup();
        resolve(line);
      };
      const onClose = () => {
        cleanup();
        reject(
          new Error(`simulator stdout closed before a line matching ${pattern}; stderr: ${stderr}`),
        );
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (stdoutClosed) {
        onClose();
        return;
      }
      waiters.add(onLine);
      closeListeners.add(onClose);
    });
  };

  const stop = async (stopOptions: { signal?: NodeJS.Signals; timeoutMs?: number } = {}) => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill(stopOptions.signal ?? 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, stopOptions.timeoutMs ?? 5000);
    });
    await Promise.race([exited, killed]);
    clearTimeout(timer);
    return exited;
  };

  const awaitStartup = async (pattern: RegExp, timeoutMs: number): Promise<string> => {
    const line = waitForLine(pattern, { since: 'start', timeoutMs });
    try {
      return await Promise.race([line, spawnError]);
    } catch (error) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      const exit = await Promise.race([
        exited,
        new Promise((resolve) => setTimeout(resolve, 1000)),
      ]);
      throw new Error(
        `${options.name} did not start (${(error as Error).message}); exit ${JSON.stringify(exit)}; stderr: ${stderr}`,
      );
    }
  };

  const sim: SimulatorProcess = {
    process: child,
    pid: child.pid as number,
    lines,
    get stderr() {
      return stderr;
    },
    exited,
    waitForLine,
    write: (text) => {
      if (child.stdin.writable) child.stdin.write(text);
    },
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
  return { sim, onLine: (listener) => listeners.push(listener), awaitStartup };
}

/** Whether `args` has `flag` (as `flag value` or `flag=value`). */
export function hasFlag(args: readonly string[], ...flags: readonly string[]): boolean {
  return args.some((arg) => flags.some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
}
