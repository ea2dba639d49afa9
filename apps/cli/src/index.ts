export type { CommandContext, GlobalOptions } from './context.js';
export { createContext } from './context.js';
export { discoverServer, resolveDataDir, SERVER_INFO_FILE, TOKEN_FILE } from './discovery.js';
export { CliError, EXIT_CODES_HELP, ExitCode, exitCodeForError } from './exit-codes.js';
export type { ProgramIO, ServerTarget } from './io.js';
export { processIO } from './io.js';
export { createProgram } from './program.js';
export { runCli } from './run.js';
