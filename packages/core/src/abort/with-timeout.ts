import { AbortedError } from '../errors/errors.js';
import { RigkitError } from '../errors/rigkit-error.js';

/**
 * Runs `task` with an AbortSignal that fires after `ms` or when `parent` aborts, and settles
 * no later than that even if `task` ignores its signal — so a hung miner API can never hold
 * up the caller. Rejects with `E_API_TIMEOUT` on timeout and `E_ABORTED` on parent abort.
 *
 * Uses a plain timer (cleared on every path) rather than `AbortSignal.timeout`, so fake
 * timers control it in tests and nothing lingers afterwards.
 */
export function withTimeout<T>(
  task: (signal: AbortSignal) => Promise<T>,
  ms: number,
  what: string,
  parent?: AbortSignal,
): Promise<T> {
  if (parent?.aborted) return Promise.reject(new AbortedError(`${what} aborted`));
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const onParentAbort = () => finish(new AbortedError(`${what} aborted`));
    const timer = setTimeout(
      () =>
        finish(
          new RigkitError('E_API_TIMEOUT', `${what} did not answer within ${ms} ms`, {
            details: { timeoutMs: ms },
          }),
        ),
      ms,
    );
    parent?.addEventListener('abort', onParentAbort, { once: true });
    let settled = false;
    function finish(error: unknown, value?: T) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
      if (error === undefined) {
        resolve(value as T);
      } else {
        controller.abort(error);
        reject(error);
      }
    }
    let pending: Promise<T>;
    try {
      pending = task(controller.signal);
    } catch (error) {
      finish(error);
      return;
    }
    pending.then(
      (value) => finish(undefined, value),
      (error: unknown) => finish(error ?? new Error(`${what} failed`)),
    );
  });
}
