import type { CommandContext } from '../context.js';
import { formatHashrate } from '../output/format.js';
import { paintState, uptime } from '../output/miner-view.js';
import { renderTable } from '../output/table.js';

/** `rigkit ls`: every miner as a table, or `{ miners: [...] }` with `--json`. */
export async function ls(ctx: CommandContext): Promise<void> {
  const client = await ctx.client();
  const miners = await client.listMiners();
  if (ctx.json) {
    ctx.printJson({ miners });
    return;
  }
  if (miners.length === 0) {
    ctx.note('no miners yet; add one with `rigkit add <kind> --name <name>`');
    return;
  }
  const now = ctx.io.now();
  const rows = miners.map((m) => [
    m.id,
    m.name,
    m.kind,
    m.paused ? ctx.color.yellow(`${m.state} (paused)`) : paintState(m.state, ctx.color),
    // A stopped miner hashes nothing, whatever its last sample said.
    formatHashrate(m.state === 'running' ? m.lastSample?.hashrate : undefined),
    uptime(m, now),
    String(m.recentRestarts),
  ]);
  ctx.io.stdout(
    renderTable(
      [
        { header: 'ID' },
        { header: 'NAME' },
        { header: 'KIND' },
        { header: 'STATE' },
        { header: 'HASHRATE', right: true },
        { header: 'UPTIME', right: true },
        { header: 'RESTARTS', right: true },
      ],
      rows,
    ),
  );
}
