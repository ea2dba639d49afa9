/**
 * Where a command reads and writes, so tests run commands without a terminal, sockets or
 * signals. {@link processIO} is the real thing.
 */
export interface ProgramIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Environment (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Whether stdout / stderr are terminals (default: `isTTY` of the process streams). */
  stdoutIsTTY?: boolean;
  stderrIsTTY?: boolean;
  /** Terminal width for sparklines and tables (default: stdout columns or 80). */
  columns?: number;
  /** Clock (default `Date.now`). */
  now?: () => number;
  /**
   * A signal that fires on Ctrl-C / SIGTERM, for commands that run until interrupted
   * (`logs -f`). Signal handlers are installed on the first call only.
   */
  interrupt?: () => AbortSignal;
  /** Replaces how commands build their API client (tests inject a fake). */
  createClient?: (target: ServerTarget) => unknown;
}

/** The server a command talks to, as found by discovery. */
export interface ServerTarget {
  url: string;
  token: string | undefined;
  dataDir: string;
}

/** {@link ProgramIO} on the real process streams, env and signals. */
export function processIO(): ProgramIO {
  let controller: AbortController | undefined;
  return {
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    columns: process.stdout.columns,
    now: Date.now,
    interrupt: () => {
      if (controller) return controller.signal;
      const ctrl = new AbortController();
      controller = ctrl;
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        ctrl.abort();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      return ctrl.signal;
    },
  };
}
