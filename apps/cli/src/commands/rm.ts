import type { CommandContext } from '../context.js';
import { withProgress } from '../output/progress.js';

/** `rigkit rm <id>`: removes a miner (the server stops it first). */
export async function rm(ctx: CommandContext, id: string): Promise<void> {
  const client = await ctx.client({ timeoutMs: 180_000 });
  await withProgress(ctx, `removing ${id}`, () => client.removeMiner(id));
  if (ctx.json) {
    ctx.printJson({ removed: id });
    return;
  }
  ctx.out(`removed ${id}`);
}
