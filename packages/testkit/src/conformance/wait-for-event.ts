import type { EventBus } from '@rigkit/core';

/** Thrown by {@link waitForEvent} when no matching event arrived in time. */
export class EventTimeoutError extends Error {
  readonly code = 'E_EVENT_TIMEOUT';
  constructor(
    readonly type: string,
    readonly timeoutMs: number,
  ) {
    super(`no matching "${type}" event within ${timeoutMs} ms`);
    this.name = 'EventTimeoutError';
  }
}

/**
 * Resolves with the first `type` event on `events` for which `predicate` returns true, or
 * rejects with {@link EventTimeoutError} after `timeoutMs`. The subscription and the timer are
 * released either way.
 *
 * Subscribe before triggering what emits the event:
 * ```ts
 * const restarted = waitForEvent(manager.events, 'miner.restart', (e) => e.reason === 'exit');
 * await miner.start();
 * expect((await restarted).attempt).toBe(1);
 * ```
 * The returned promise is marked handled, so a timeout while the caller is still awaiting
 * something else is not reported as an unhandled rejection; awaiting it still throws.
 */
export function waitForEvent<Events extends object, K extends keyof Events & string>(
  events: EventBus<Events>,
  type: K,
  predicate: (payload: Events[K]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Events[K]> {
  const promise = new Promise<Events[K]>((resolve, reject) => {
    let done = false;
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      off();
      settle();
    };
    // Subscribe first: if the bus refuses (listener limit), no timer is left behind.
    const off = events.on(type, (payload) => {
      let matches: boolean;
      try {
        matches = predicate(payload);
      } catch (error) {
        finish(() => reject(error));
        return;
      }
      if (matches) finish(() => resolve(payload));
    });
    const timer = setTimeout(
      () => finish(() => reject(new EventTimeoutError(type, timeoutMs))),
      timeoutMs,
    );
  });
  promise.catch(() => {});
  return promise;
}
