import { readFileSync } from 'node:fs';
import { Command } from 'commander';

/** Exit codes of the `rigkit` command; documented in the README and stable. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 3,
  notFound: 4,
  serverUnreachable: 5,
} as const;

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}

/** Options for {@link createProgram}: where output goes, so tests need no real terminal. */
export interface ProgramIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/**
 * Builds the `rigkit` command tree. Construction does no I/O beyond reading the version;
 * each action does its own.
 */
export function createProgram(io: ProgramIO): Command {
  const program = new Command('rigkit')
    .description('Run and supervise miner processes.')
    .version(packageVersion(), '-V, --version')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  program
    .command('serve')
    .description('Run the Rigkit server (REST, WebSocket, dashboard).')
    .option('--demo', 'run with simulated miners and an embedded SQLite file')
    .action(function serve() {
      io.stderr(
        'rigkit serve: the server is not built yet (see the open server issue). ' +
          'Available today: @rigkit/core, @rigkit/testkit.\n',
      );
      process.exitCode = ExitCode.failure;
    });

  return program;
}
