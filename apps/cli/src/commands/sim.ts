import { spawn } from 'node:child_process';
import type { CommandContext } from '../context.js';
import { CliError } from '../exit-codes.js';

/** The simulators this command can run, by kind. */
const SIMULATORS = ['xmrig', 'ttminer'] as const;

async function simulatorPath(kind: string): Promise<string> {
  if (!(SIMULATORS as readonly string[]).includes(kind)) {
    throw new CliError(
      'E_USAGE',
      `no simulator for "${kind}"; available: ${SIMULATORS.join(', ')}`,
    );
  }
  try {
    // The vitest-free entry of the testkit, loaded only by this command.
    const { simTtminerPath, simXmrigPath } = await import('@rigkit/testkit/simulators');
    return kind === 'ttminer' ? simTtminerPath : simXmrigPath;
  } catch (error) {
    throw new CliError(
      'E_SIMULATOR_MISSING',
      `the ${kind} simulator is not installed (@rigkit/testkit/simulators: ${(error as Error).message})`,
      { cause: error },
    );
  }
}

/**
 * `rigkit sim <kind> [args…]`: runs a miner simulator in the foreground with the given
 * arguments (after `--` to pass options that rigkit itself knows) and this terminal's stdio;
 * exits with the simulator's exit code.
 */
export async function sim(
  _ctx: CommandContext,
  kind: string,
  args: readonly string[],
): Promise<void> {
  const path = await simulatorPath(kind);
  const child = spawn(process.execPath, [path, ...args], { stdio: 'inherit' });
  // Ctrl-C reaches the simulator from the terminal (same process group): rigkit only stays
  // alive to report its exit. A SIGTERM sent to rigkit alone is passed on.
  const onInt = () => {};
  const onTerm = () => {
    child.kill('SIGTERM');
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => {
        resolve(exitCode ?? (signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1));
      });
    });
    if (code !== 0) {
      throw new CliError('E_SIMULATOR_EXIT', `the ${kind} simulator exited with code ${code}`, {
        exitCode: code,
        silent: true,
      });
    }
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}
