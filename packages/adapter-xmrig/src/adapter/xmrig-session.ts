/**
 * Per-run state of one xmrig miner, shared by `command()`, `probe()`, `stats()` and
 * `cleanup()` of the same run. Core hands a fresh object to every start.
 */
export interface XmrigSession {
  /** Port of xmrig's HTTP API on 127.0.0.1 for this run. */
  port?: number;
  /**
   * Access token of this run's HTTP API. Non-enumerable, so dumping the session
   * (`JSON.stringify`, a logger) does not print it.
   */
  token?: string;
  /** The generated config file of this run, removed by `cleanup()`. */
  configFile?: string;
  /** Set once the "donate level differs" warning was logged for this run. */
  donateWarned?: boolean;
}

/** Records this run's API port and token in the session (the token non-enumerable). */
export function setSessionApi(session: XmrigSession, port: number, token: string): void {
  session.port = port;
  Object.defineProperty(session, 'token', {
    value: token,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}
