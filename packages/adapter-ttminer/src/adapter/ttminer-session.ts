/**
 * Per-run state of one TT-Miner miner, shared by `command()`, `probe()` and `stats()` of the
 * same run. Core hands a fresh object to every start.
 */
export interface TtminerSession {
  /** Port of TT-Miner's API on 127.0.0.1 for this run. */
  port?: number;
  /**
   * The API password of this run, if any. Non-enumerable, so dumping the session
   * (`JSON.stringify`, a logger) does not print it.
   */
  apiPassword?: string;
  /** The algorithm launched (`-a`): the API does not report it. */
  algo?: string;
  /** The CUDA indexes launched (`-d`), the stable ids of the per-GPU rows. */
  devices?: readonly number[];
}

/** What {@link recordRun} stores. */
export interface TtminerRun {
  port: number;
  apiPassword?: string | undefined;
  algo: string;
  devices?: readonly number[] | undefined;
}

/** Records what this run was launched with (the API password non-enumerable). */
export function recordRun(session: TtminerSession, run: TtminerRun): void {
  session.port = run.port;
  session.algo = run.algo;
  if (run.devices !== undefined) session.devices = Object.freeze([...run.devices]);
  else delete session.devices;
  Object.defineProperty(session, 'apiPassword', {
    value: run.apiPassword,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}
