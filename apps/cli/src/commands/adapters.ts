import type { CommandContext } from '../context.js';
import { renderTable } from '../output/table.js';

/** `rigkit adapters`: the miner kinds the server can run. */
export async function adapters(ctx: CommandContext): Promise<void> {
  const client = await ctx.client();
  const list = await client.adapters();
  if (ctx.json) {
    ctx.printJson({ adapters: list });
    return;
  }
  if (list.length === 0) {
    ctx.note('the server has no adapters loaded (see `adapters` in rigkit.config)');
    return;
  }
  ctx.io.stdout(
    renderTable(
      [{ header: 'KIND' }, { header: 'PACKAGE' }, { header: 'VERSION' }, { header: 'CORE' }],
      list.map((a) => [a.kind, a.name, a.version, a.core]),
    ),
  );
}
