import {
  hasFlag,
  type SimulatorExit,
  type SimulatorProcess,
  spawnSimulator,
} from '../shared/simulator-process.js';
import { type QueryMinerGetstat1Options, queryMinerGetstat1 } from './query-miner-getstat1.js';
import { simTtminerPath } from './sim-ttminer-path.js';

/** How {@link startTtminerSimulator} runs the program. */
export interface StartTtminerSimulatorOptions {
  /**
   * Bind the API on a free loopback port when `args` have no `-b` (adds `-b 127.0.0.1:0`; the
   * port is read from the `API listening on` line). Default true; with false and no `-b`, the
   * simulator binds TT-Miner's default 127.0.0.1:4068.
   */
  freePort?: boolean;
  /** How long to wait for the API line (default 15 s: a loaded CI machine starts Node slowly). */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout lines kept in {@link TtminerSimulatorProcess.lines} (default 2000, oldest dropped). */
  maxLines?: number;
  /** The Node binary (default: the current one). */
  nodePath?: string;
}

/** How the simulator process ended. */
export type TtminerSimulatorExit = SimulatorExit;

/** A running `rigkit-sim-ttminer`. */
export interface TtminerSimulatorProcess extends SimulatorProcess {
  /** The API port from the `API listening on` line. */
  readonly apiPort: number;
  /** The API host from that line (`127.0.0.1` unless `-b` chose another). */
  readonly apiHost: string;
  /** `miner_getstat1` on this simulator's API ({@link queryMinerGetstat1}). */
  getstat1(options?: Omit<QueryMinerGetstat1Options, 'host'>): Promise<unknown>;
}

const API_LINE = /^\d{2}:\d{2}:\d{2}\.\d{3} API listening on (\[[^\]]+\]|[^\s:]+):(\d+)$/;
const API_BIND_ERROR = /^\d{2}:\d{2}:\d{2}\.\d{3} ERROR: API bind to \S+ failed/;
const STARTUP = new RegExp(`${API_LINE.source}|${API_BIND_ERROR.source}`);

/**
 * Starts `rigkit-sim-ttminer` with `args` (TT-Miner's command line plus `--sim-*` options) and
 * resolves once its API listens, with the port known. Imports nothing from vitest: the CLI and
 * the server's demo mode can use it too.
 *
 * ```ts
 * await using sim = await startTtminerSimulator(['-nocolor', '--sim-time-scale', '60']);
 * const answer = await sim.getstat1(); // { id: 0, jsonrpc: '2.0', result: ['TT-Miner/2024.3.2', …] }
 * await sim.waitForLine(/Total: /);
 * ```
 *
 * Rejects (and kills the process) when the API cannot bind or the process exits first.
 */
export async function startTtminerSimulator(
  args: readonly string[],
  options: StartTtminerSimulatorOptions = {},
): Promise<TtminerSimulatorProcess> {
  const finalArgs = [...args];
  if ((options.freePort ?? true) && !hasFlag(args, '-b', '-api-bind', '--api-bind')) {
    finalArgs.push('-b', '127.0.0.1:0');
  }
  const { sim, awaitStartup } = spawnSimulator({
    name: 'rigkit-sim-ttminer',
    script: simTtminerPath,
    args: finalArgs,
    env: options.env,
    cwd: options.cwd,
    maxLines: options.maxLines,
    nodePath: options.nodePath,
  });
  const line = await awaitStartup(STARTUP, options.timeoutMs ?? 15_000);
  const match = API_LINE.exec(line);
  if (!match) {
    await sim.stop({ signal: 'SIGKILL' });
    throw new Error(`rigkit-sim-ttminer could not bind its API: ${line}`);
  }
  const apiHost = (match[1] as string).replace(/^\[(.*)\]$/, '$1');
  const apiPort = Number(match[2]);

  return {
    process: sim.process,
    pid: sim.pid,
    apiPort,
    apiHost,
    lines: sim.lines,
    get stderr() {
      return sim.stderr;
    },
    exited: sim.exited,
    waitForLine: sim.waitForLine,
    write: sim.write,
    stop: sim.stop,
    getstat1: (queryOptions = {}) =>
      queryMinerGetstat1(apiPort, { ...queryOptions, host: apiHost }),
    [Symbol.asyncDispose]: sim[Symbol.asyncDispose],
  };
}
