import type { CommandContext } from '../context.js';
import { CliError } from '../exit-codes.js';

/** `rigkit proxy`: reserved for the stratum proxy, which is not available yet. */
export async function proxy(_ctx: CommandContext): Promise<void> {
  throw new CliError('E_NOT_AVAILABLE', 'the stratum proxy is not available yet');
}
