import type { CommandContext } from '../context.js';
import { paintState } from '../output/miner-view.js';
import { withProgress } from '../output/progress.js';

export type LifecycleAction = 'start' | 'stop' | 'restart';

/** Start, stop and restart wait for the miner (start timeouts, stop grace periods). */
const ACTION_TIMEOUT_MS = 180_000;

const PROGRESS: Record<LifecycleAction, string> = {
  start: 'starting %s (waiting until it is running)',
  stop: 'stopping %s',
  restart: 'restarting %s (waiting until it is running)',
};

/** `rigkit start|stop|restart <id>`: prints the new state (`--json`: the miner). */
export async function lifecycle(
  ctx: CommandContext,
  action: LifecycleAction,
  id: string,
): Promise<void> {
  const client = await ctx.client({ timeoutMs: ACTION_TIMEOUT_MS });
  const call = {
    start: () => client.startMiner(id),
    stop: () => client.stopMiner(id),
    restart: () => client.restartMiner(id),
  }[action];
  const miner = await withProgress(ctx, PROGRESS[action].replace('%s', id), call);
  if (ctx.json) {
    ctx.printJson(miner);
    return;
  }
  ctx.out(`${miner.id}  ${paintState(miner.state, ctx.color)}`);
}
