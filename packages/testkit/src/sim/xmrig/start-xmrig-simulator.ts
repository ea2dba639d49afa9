import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stripAnsi } from './ansi.js';
import { simXmrigPath } from './sim-xmrig-path.js';

/** How {@link startXmrigSimulator} runs the program. */
export interface StartXmrigSimulatorOptions {
  /**
   * Serve the HTTP API on a free loopback port when `args` choose no `--http-port`
   * (adds `--http-host 127.0.0.1 --http-port 0`; the port is read from the banner). Default true.
   */
  api?: boolean;
  /** How long to wait for the banner (default 15 s: a loaded CI machine starts Node slowly). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout lines kept in {@link XmrigSimulatorProcess.lines} (default 2000, oldest dropped). */
  maxLines?: number;
  /** The Node binary (default: the current one). */
  nodePath?: string;
}

/** How the simulator process ended. */
export interface XmrigSimulatorExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** What {@link XmrigSimulatorProcess.waitForLine} waits with. */
export interface WaitForLineOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** `start`: a matching line printed earlier counts too. Default `now`: only lines to come. */
  since?: 'now' | 'start';
}

/** A running `rigkit-sim-xmrig`. */
export interface XmrigSimulatorProcess {
  readonly process: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** The HTTP API port from the banner, or `undefined` without the API. */
  readonly port: number | undefined;
  /** `http://127.0.0.1:<port>` (the banner's host), or `undefined` without the API. */
  readonly apiUrl: string | undefined;
  /** The last stdout lines as printed (with colours unless `--no-color`). */
  readonly lines: readonly string[];
  /** Everything written to stderr (the first 64 KiB). */
  readonly stderr: string;
  /** Settles when the process has exited. */
  readonly exited: Promise<XmrigSimulatorExit>;
  /**
   * Resolves with the next stdout line (colours removed) that matches `pattern`; rejects after
   * the timeout or when stdout closes first. Call it before doing what prints the line.
   */
  waitForLine(pattern: RegExp, options?: WaitForLineOptions): Promise<string>;
  /** Writes keys to stdin (`h`, `p`, `r`, `s`, `c`). */
  write(keys: string): void;
  /**
   * Sends `signal` (default SIGTERM) and waits for the exit; SIGKILL after `timeoutMs`
   * (default 5 s). Resolves with the exit at once if the process has already exited.
   */
  stop(options?: { signal?: NodeJS.Signals; timeoutMs?: number }): Promise<XmrigSimulatorExit>;
  [Symbol.asyncDispose](): Promise<void>;
}

const MAX_STDERR = 64 * 1024;
const BANNER_HTTP = /^ \* HTTP API\s+(\S+):(\d+)\s*$/;
const BANNER_COMMANDS = /^ \* COMMANDS\s/;

const hasFlag = (args: readonly string[], flag: string) =>
  args.some((arg) => arg === flag || arg.startsWith(`${flag}=`));

/**
 * Starts `rigkit-sim-xmrig` with `args` (xmrig's command line plus `--sim-*` options) and
 * resolves once its banner is printed, with the API port known. Imports nothing from vitest:
 * the CLI and the server's demo mode use it too.
 *
 * ```ts
 * await using sim = await startXmrigSimulator(['--no-color', '--sim-time-scale', '10']);
 * await sim.waitForLine(/READY threads/, { since: 'start' });
 * const summary = await fetch(`${sim.apiUrl}/2/summary`).then((r) => r.json());
 * ```
 */
export async function startXmrigSimulator(
  args: readonly string[],
  options: StartXmrigSimulatorOptions = {},
): Promise<XmrigSimulatorProcess> {
  const finalArgs = [...args];
  const wantsApi = options.api ?? true;
  const hasPort = hasFlag(args, '--http-port');
  if (wantsApi && !hasPort) {
    if (!hasFlag(args, '--http-host')) finalArgs.push('--http-host', '127.0.0.1');
    finalArgs.push('--http-port', '0');
  }
  const expectsApi =
    wantsApi || hasPort || hasFlag(args, '--http-host') || hasFlag(args, '--http-enabled');

  const child = spawn(options.nodePath ?? process.execPath, [simXmrigPath, ...finalArgs], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Writing keys to a simulator that is gone must not crash the test.
  child.stdin.on('error', () => {});
  const maxLines = options.maxLines ?? 2000;
  const lines: string[] = [];
  const waiters = new Set<(line: string) => void>();
  let stderr = '';
  let port: number | undefined;
  let host = '127.0.0.1';
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
    const http = BANNER_HTTP.exec(plain);
    if (http) {
      host = http[1] as string;
      port = Number(http[2]);
    }
    for (const waiter of [...waiters]) waiter(plain);
  });
  reader.on('close', () => {
    stdoutClosed = true;
    for (const listener of [...closeListeners]) listener();
  });

  const exited = new Promise<XmrigSimulatorExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  // spawn errors (ENOENT for a wrong nodePath) surface through the start promise below.
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

  const banner = waitForLine(expectsApi ? BANNER_HTTP : BANNER_COMMANDS, {
    since: 'start',
    timeoutMs: options.timeoutMs ?? 15_000,
  });
  try {
    await Promise.race([banner, spawnError]);
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    const exit = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
    throw new Error(
      `rigkit-sim-xmrig did not start (${(error as Error).message}); exit ${JSON.stringify(exit)}; stderr: ${stderr}`,
    );
  }

  return {
    process: child,
    pid: child.pid as number,
    get port() {
      return port;
    },
    get apiUrl() {
      return port === undefined ? undefined : `http://${host}:${port}`;
    },
    lines,
    get stderr() {
      return stderr;
    },
    exited,
    waitForLine,
    write: (keys) => {
      if (child.stdin.writable) child.stdin.write(keys);
    },
    stop,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
}
