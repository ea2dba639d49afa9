// Test support: run `rigkit` in-process with captured output and an injected API client.
import type { RigkitClient } from '@rigkit/client';
import type { ProgramIO, ServerTarget } from '../io.js';
import { runCli } from '../run.js';

export interface FakeRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface FakeIOOptions extends Partial<ProgramIO> {
  /** The client every command gets; unimplemented methods throw when called. */
  client?: Partial<RigkitClient>;
  /** Aborts the `interrupt()` signal (Ctrl-C) when given. */
  interrupt?: () => AbortSignal;
}

/** Runs `argv` with a fake client; `--url` skips server discovery unless a test passes its own. */
export async function runWith(
  argv: readonly string[],
  options: FakeIOOptions = {},
): Promise<FakeRun & { targets: ServerTarget[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const targets: ServerTarget[] = [];
  const { client, ...rest } = options;
  const io: ProgramIO = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env: {},
    stdoutIsTTY: false,
    stderrIsTTY: false,
    columns: 60,
    now: () => 1_700_000_100_000,
    createClient: (target) => {
      targets.push(target);
      return new Proxy(client ?? {}, {
        get(object, key) {
          const value = (object as Record<string | symbol, unknown>)[key];
          if (value !== undefined || typeof key === 'symbol' || key === 'then') return value;
          return () => {
            throw new Error(`fake client: ${String(key)}() not implemented`);
          };
        },
      });
    },
    ...rest,
  };
  const code = await runCli(argv, io);
  return { code, stdout: out.join(''), stderr: err.join(''), targets };
}
