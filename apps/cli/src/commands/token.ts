import { join } from 'node:path';
import type { CommandContext } from '../context.js';
import { resolveToken, TOKEN_FILE } from '../discovery.js';
import { CliError } from '../exit-codes.js';

/** `rigkit token`: prints the API token the CLI would use. Creates nothing. */
export async function token(ctx: CommandContext): Promise<void> {
  const found = await resolveToken({
    dataDir: ctx.dataDir,
    token: ctx.globals.token,
    env: ctx.env,
  });
  const file = join(ctx.dataDir, TOKEN_FILE);
  if (found.token === undefined) {
    throw new CliError(
      'E_TOKEN_NOT_FOUND',
      `no API token in ${file} yet; \`rigkit serve\` creates one on first start`,
      { exitCode: 4 },
    );
  }
  if (ctx.json) {
    ctx.printJson({
      token: found.token,
      source: found.source,
      ...(found.source === 'file' ? { file } : {}),
    });
    return;
  }
  ctx.out(found.token);
}
