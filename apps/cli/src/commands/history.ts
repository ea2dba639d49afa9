import type { CommandContext } from '../context.js';
import { formatDateTime, formatDuration, formatHashrate } from '../output/format.js';
import { sparkline, summarize } from '../output/sparkline.js';

export interface HistoryOptions {
  /** Range length in ms (parsed from `--since 24h`). */
  sinceMs: number;
  maxPoints?: number;
}

/**
 * `rigkit history <id> [--since 24h] [--max-points N]`: a sparkline of the hashrate over the
 * range with min / avg / max; `--json` prints the points.
 */
export async function history(
  ctx: CommandContext,
  id: string,
  opts: HistoryOptions,
): Promise<void> {
  const client = await ctx.client();
  const to = ctx.io.now();
  const from = to - opts.sinceMs;
  const width = Math.max(10, Math.min(ctx.columns - 2, 240));
  const maxPoints = opts.maxPoints ?? (ctx.json ? 500 : width);
  const result = await client.history(id, { from, to, maxPoints });
  const values = result.points.map((p) => p.hashrate);
  const stats = summarize(values);
  const lows = result.points.map((p) => p.min ?? p.hashrate);
  const highs = result.points.map((p) => p.max ?? p.hashrate);
  const min = summarize(lows)?.min ?? stats?.min;
  const max = summarize(highs)?.max ?? stats?.max;
  if (ctx.json) {
    ctx.printJson({
      minerId: id,
      from,
      to,
      resolution: result.resolution,
      stats: stats ? { min, avg: stats.avg, max } : null,
      points: result.points,
    });
    return;
  }
  const c = ctx.color;
  const header = `${c.bold(id)}  last ${formatDuration(opts.sinceMs)}  ${c.dim(
    `(${formatDateTime(from)} → ${formatDateTime(to)}, ${result.points.length} points, ${result.resolution})`,
  )}`;
  if (!stats) {
    ctx.out(header);
    ctx.note(`no hashrate recorded for ${id} in this range`);
    return;
  }
  ctx.out(header);
  ctx.out(c.green(sparkline(values, width)));
  ctx.out(
    `min ${formatHashrate(min)}  avg ${formatHashrate(stats.avg)}  max ${formatHashrate(max)}`,
  );
}
