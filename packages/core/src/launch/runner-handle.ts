import type { InProcessRunner } from '../adapter/adapter.js';
import type { ExitInfo, RunHandle } from './launcher.js';

/**
 * Starts an in-process runner and presents it as a {@link RunHandle}, so the lifecycle treats
 * the stratum proxy exactly like a child process: `exited` settles when it is stopped or when
 * its `done` promise settles by itself (a rejection reads as exit code 1).
 */
export async function startRunner(
  runner: InProcessRunner,
  signal: AbortSignal,
  now: () => number,
): Promise<RunHandle> {
  await runner.start(signal);
  let resolveExit!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => {
    resolveExit = resolve;
  });
  let ended = false;
  const end = (info: Omit<ExitInfo, 'time'>) => {
    if (ended) return;
    ended = true;
    resolveExit({ ...info, time: now() });
  };
  runner.done?.then(
    () => end({ code: 0, signal: null }),
    (error: unknown) => end({ code: 1, signal: null, error }),
  );
  let stopping: Promise<ExitInfo> | undefined;
  return {
    pid: undefined,
    exited,
    write: () => false,
    stop({ graceMs }) {
      stopping ??= (async () => {
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(), graceMs);
        try {
          await runner.stop(controller.signal);
          end({ code: 0, signal: null });
        } catch (error) {
          end({ code: 1, signal: null, error });
        } finally {
          clearTimeout(timer);
        }
        return exited;
      })();
      return stopping;
    },
  };
}
