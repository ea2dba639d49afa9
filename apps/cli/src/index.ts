export type { ProgramIO } from './program.js';
export { createProgram, ExitCode } from './program.js';
