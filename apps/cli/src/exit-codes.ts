/** Exit codes of the `rigkit` command; documented in the README and `rigkit --help`, and stable. */
export const ExitCode = {
  /** Success. */
  ok: 0,
  /** The operation failed (a miner failed to start, a doctor check failed, …). */
  failure: 1,
  /** Bad usage: unknown command or option, missing or malformed argument. */
  usage: 2,
  /** Configuration: invalid config file or miner options, token not accepted. */
  config: 3,
  /** Not found: no such miner, adapter kind or route. */
  notFound: 4,
  /** No server: none running for the data dir, or it does not answer. */
  serverUnreachable: 5,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** The `rigkit --help` epilog. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  failure (the operation failed, a doctor check failed)
  2  usage (unknown command or option, malformed argument)
  3  config (invalid config or miner options, API token not accepted)
  4  not found (no such miner, adapter or route)
  5  server unreachable (none running for the data dir, or no answer)

Data goes to stdout (--json: one JSON document), diagnostics to stderr.
Colours only on a terminal and never with NO_COLOR set.`;

const BY_CODE: Readonly<Record<string, ExitCodeValue>> = {
  E_USAGE: ExitCode.usage,
  E_VALIDATION: ExitCode.usage,
  E_BAD_JSON: ExitCode.usage,
  E_CONFIG_INVALID: ExitCode.config,
  E_UNAUTHORIZED: ExitCode.config,
  E_FORBIDDEN_ORIGIN: ExitCode.config,
  E_MINER_NOT_FOUND: ExitCode.notFound,
  E_ROUTE_NOT_FOUND: ExitCode.notFound,
  E_ADAPTER_NOT_FOUND: ExitCode.notFound,
  E_SERVER_UNREACHABLE: ExitCode.serverUnreachable,
  E_SERVER_NOT_RUNNING: ExitCode.serverUnreachable,
};

/** The exit code for an error code from the server, the client or the CLI; 1 for the rest. */
export function exitCodeForCode(code: string | undefined): ExitCodeValue {
  return (code === undefined ? undefined : BY_CODE[code]) ?? ExitCode.failure;
}

/**
 * The exit code for any thrown value: a {@link CliError}'s own code, else by error code. A
 * client-side `E_API_TIMEOUT` (no HTTP status: the server did not answer) counts as unreachable;
 * the server's own `E_API_TIMEOUT` (HTTP 504: a miner's API timed out) is a failure.
 */
export function exitCodeForError(error: unknown): number {
  if (error instanceof CliError) return error.exitCode;
  if (typeof error !== 'object' || error === null) return ExitCode.failure;
  const { code, status } = error as { code?: unknown; status?: unknown };
  if (typeof code !== 'string') return ExitCode.failure;
  if (code === 'E_API_TIMEOUT' && status === undefined) return ExitCode.serverUnreachable;
  return exitCodeForCode(code);
}

/**
 * An error raised by the CLI itself, with its exit code. `silent` errors have already told
 * the user what happened (doctor's checklist, a simulator's own output).
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: number;
  readonly silent: boolean;

  constructor(
    code: string,
    message: string,
    options: { exitCode?: number; silent?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = code;
    this.exitCode = options.exitCode ?? exitCodeForCode(code);
    this.silent = options.silent ?? false;
  }
}

/** A usage error (exit 2), e.g. a malformed option value found after parsing. */
export function usageError(message: string): CliError {
  return new CliError('E_USAGE', message);
}
