import type { CommandContext } from '../context.js';

/**
 * Runs `work` and, while it is pending, reminds a terminal user every `everyMs` that it still
 * is (`… still waiting (10s)`). The reminder timer is cleared however `work` ends.
 */
export async function withProgress<T>(
  ctx: CommandContext,
  message: string,
  work: () => Promise<T>,
  everyMs = 10_000,
): Promise<T> {
  ctx.progress(`${message}…`);
  const started = ctx.io.now();
  const timer =
    ctx.quiet || ctx.io.stderrIsTTY !== true
      ? undefined
      : setInterval(() => {
          const waited = Math.round((ctx.io.now() - started) / 1000);
          ctx.progress(`${message}… still waiting (${waited}s)`);
        }, everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
