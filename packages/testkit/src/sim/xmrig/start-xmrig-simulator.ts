import {
  hasFlag,
  type SimulatorExit,
  type SimulatorProcess,
  spawnSimulator,
  type WaitForLineOptions,
} from '../shared/simulator-process.js';
import { simXmrigPath } from './sim-xmrig-path.js';

export type { WaitForLineOptions } from '../shared/simulator-process.js';

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
export type XmrigSimulatorExit = SimulatorExit;

/** A running `rigkit-sim-xmrig`. */
export interface XmrigSimulatorProcess extends SimulatorProcess {
  /** The HTTP API port from the banner, or `undefined` without the API. */
  readonly port: number | undefined;
  /** `http://127.0.0.1:<port>` (the banner's host), or `undefined` without the API. */
  readonly apiUrl: string | undefined;
  /** The last stdout lines as printed (with colours unless `--no-color`). */
  readonly lines: readonly string[];
  /**
   * Resolves with the next stdout line (colours removed) that matches `pattern`; rejects after
   * the timeout or when stdout closes first. Call it before doing what prints the line.
   */
  waitForLine(pattern: RegExp, options?: WaitForLineOptions): Promise<string>;
  /** Writes keys to stdin (`h`, `p`, `r`, `s`, `c`). */
  write(keys: string): void;
}

const BANNER_HTTP = /^ \* HTTP API\s+(\S+):(\d+)\s*$/;
const BANNER_COMMANDS = /^ \* COMMANDS\s/;

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

  const { sim, onLine, awaitStartup } = spawnSimulator({
    name: 'rigkit-sim-xmrig',
    script: simXmrigPath,
    args: finalArgs,
    env: options.env,
    cwd: options.cwd,
    maxLines: options.maxLines,
    nodePath: options.nodePath,
  });
  let port: number | undefined;
  let host = '127.0.0.1';
  onLine((plain) => {
    const http = BANNER_HTTP.exec(plain);
    if (http) {
      host = http[1] as string;
      port = Number(http[2]);
    }
  });
  await awaitStartup(expectsApi ? BANNER_HTTP : BANNER_COMMANDS, options.timeoutMs ?? 15_000);

  return {
    process: sim.process,
    pid: sim.pid,
    get port() {
      return port;
    },
    get apiUrl() {
      return port === undefined ? undefined : `http://${host}:${port}`;
    },
    lines: sim.lines,
    get stderr() {
      return sim.stderr;
    },
    exited: sim.exited,
    waitForLine: sim.waitForLine,
    write: sim.write,
    stop: sim.stop,
    [Symbol.asyncDispose]: sim[Symbol.asyncDispose],
  };
}
