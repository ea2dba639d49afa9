import { setImmediate as nextTurn } from 'node:timers/promises';
import { diffResources, type ResourceSnapshot, snapshotResources } from './snapshot-resources.js';

/** Options for {@link waitForBaseline} and {@link expectNoLeaks}. */
export interface LeakCheckOptions {
  /**
   * How long closed handles may take to leave the active list. libuv releases a closed socket
   * or child process a loop turn or two after its `close` event, so the check polls until
   * the resources return to the baseline or this much time has passed. Default 2000 ms.
   */
  settleMs?: number;
  /** Resource types to ignore (e.g. a runner's own `TTYWrap`). */
  ignore?: readonly string[];
}

/** Thrown by {@link expectNoLeaks} with the types that stayed above the baseline. */
export class ResourceLeakError extends Error {
  readonly code = 'E_RESOURCE_LEAK';
  constructor(readonly leaked: Record<string, number>) {
    super(`resources still active after dispose: ${JSON.stringify(leaked)}`);
    this.name = 'ResourceLeakError';
  }
}

/**
 * Waits until the active resources are back at `baseline` (nothing grew) and returns what is
 * still above it after `settleMs` — an empty object when nothing leaked.
 */
export async function waitForBaseline(
  baseline: ResourceSnapshot,
  options: LeakCheckOptions = {},
): Promise<Record<string, number>> {
  const deadline = Date.now() + (options.settleMs ?? 2000);
  const ignore = new Set(options.ignore ?? []);
  for (;;) {
    const grown = diffResources(baseline, snapshotResources());
    for (const type of ignore) delete grown[type];
    if (Object.keys(grown).length === 0 || Date.now() >= deadline) return grown;
    // Yield whole loop turns so libuv can run close callbacks; no timer of our own is created.
    await nextTurn();
  }
}

/**
 * Runs `fn` and throws {@link ResourceLeakError} if any timer, socket, server, child process
 * or file descriptor it created is still active once it has returned (after settling).
 */
export async function expectNoLeaks<T>(
  fn: () => T | Promise<T>,
  options: LeakCheckOptions = {},
): Promise<T> {
  const baseline = snapshotResources();
  const result = await fn();
  const leaked = await waitForBaseline(baseline, options);
  if (Object.keys(leaked).length > 0) throw new ResourceLeakError(leaked);
  return result;
}
