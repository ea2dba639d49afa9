import { CommanderError } from 'commander';
import { CliError, ExitCode, exitCodeForError } from './exit-codes.js';
import type { ProgramIO } from './io.js';
import { createProgram } from './program.js';

/**
 * Runs `rigkit` with `argv` (without `node` and the script) and returns the exit code. Every
 * failure ends here: usage errors → 2 (commander already printed them), CLI and API errors →
 * their mapped code with `rigkit: <message>` on stderr, anything else → 1.
 */
export async function runCli(argv: readonly string[], io: ProgramIO): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    const exitCode = exitCodeForError(error);
    if (!(error instanceof CliError && error.silent)) {
      io.stderr(`rigkit: ${describe(error)}\n`);
    }
    return exitCode;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  // Server and client codes help when reporting a problem; the CLI's own are noise.
  const showCode = typeof code === 'string' && /^E_/.test(code) && !(error instanceof CliError);
  const hint =
    code === 'E_UNAUTHORIZED'
      ? '\n  the API token was not accepted: check --token, $RIGKIT_TOKEN or <data-dir>/api-token (`rigkit token`)'
      : '';
  return `${showCode ? `${error.message} [${code}]` : error.message}${hint}`;
}
