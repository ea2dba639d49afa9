import type { RigkitClient } from '@rigkit/client';
import { discoverServer, resolveDataDir } from './discovery.js';
import type { ProgramIO, ServerTarget } from './io.js';
import { type Colors, colorEnabled, createColors } from './output/color.js';

/** Options every command accepts (defined on the program). */
export interface GlobalOptions {
  dataDir?: string;
  url?: string;
  token?: string;
  json?: boolean;
  quiet?: boolean;
}

/** What a command's action gets: output, options, and a lazily discovered API client. */
export interface CommandContext {
  readonly io: Required<Pick<ProgramIO, 'stdout' | 'stderr' | 'now'>> & ProgramIO;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly globals: GlobalOptions;
  /** `--json`: one JSON document on stdout, nothing else there. */
  readonly json: boolean;
  readonly quiet: boolean;
  readonly dataDir: string;
  /** Colours for stdout and stderr (identity functions when disabled). */
  readonly color: Colors;
  readonly errColor: Colors;
  readonly columns: number;
  /** The server this command talks to (exit 5 when none runs). */
  target(): Promise<ServerTarget>;
  /** An API client for {@link target}; `timeoutMs` for long calls (start, stop). */
  client(options?: { timeoutMs?: number }): Promise<RigkitClient>;
  /** A line of data on stdout. */
  out(line: string): void;
  /** One JSON document on stdout. */
  printJson(value: unknown): void;
  /** A diagnostic line on stderr, `rigkit: …`. */
  note(message: string): void;
  /** A progress line on stderr (suppressed by `--quiet`). */
  progress(message: string): void;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function createContext(io: ProgramIO, globals: GlobalOptions): CommandContext {
  const env = io.env ?? process.env;
  const dataDir = resolveDataDir(globals.dataDir, env);
  const json = globals.json === true;
  const quiet = globals.quiet === true;
  const stdoutTTY = io.stdoutIsTTY ?? process.stdout.isTTY === true;
  const stderrTTY = io.stderrIsTTY ?? process.stderr.isTTY === true;
  const errColor = createColors(colorEnabled(stderrTTY, env));
  let target: Promise<ServerTarget> | undefined;
  const ctx: CommandContext = {
    io: { ...io, now: io.now ?? Date.now },
    env,
    globals,
    json,
    quiet,
    dataDir,
    color: createColors(colorEnabled(stdoutTTY, env)),
    errColor,
    columns: io.columns && io.columns > 20 ? io.columns : 80,
    target() {
      target ??= discoverServer({ dataDir, url: globals.url, token: globals.token, env });
      return target;
    },
    async client(options = {}) {
      const found = await ctx.target();
      if (io.createClient) return io.createClient(found) as RigkitClient;
      const { createClient } = await import('@rigkit/client');
      return createClient({
        baseUrl: found.url,
        token: found.token,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    },
    out(line) {
      io.stdout(`${line}\n`);
    },
    printJson(value) {
      io.stdout(`${JSON.stringify(value, null, 2)}\n`);
    },
    note(message) {
      io.stderr(`${errColor.dim('rigkit:')} ${message}\n`);
    },
    progress(message) {
      if (!quiet) io.stderr(`${errColor.dim('rigkit:')} ${message}\n`);
    },
  };
  return ctx;
}
