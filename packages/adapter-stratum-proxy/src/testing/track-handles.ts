import { createHook } from 'node:async_hooks';

/**
 * Tracks the timers and TCP handles created while it is on, by identity rather than by count:
 * `live()` lists those not yet closed. A complement to the testkit's count-based baseline,
 * where a timer of the test runner ending at the same time can hide a leaked one.
 */
export interface HandleTracker {
  /** Types of the tracked resources still open, e.g. `['Timeout', 'TCPWRAP']`. */
  live(): string[];
  stop(): void;
}

const TRACKED = new Set(['Timeout', 'TCPWRAP', 'TCPSERVERWRAP', 'TCPCONNECTWRAP']);

export function trackHandles(): HandleTracker {
  const live = new Map<number, string>();
  const hook = createHook({
    init(id, type) {
      if (TRACKED.has(type) && type !== 'TCPCONNECTWRAP') live.set(id, type);
    },
    destroy(id) {
      live.delete(id);
    },
  });
  hook.enable();
  return { live: () => [...live.values()], stop: () => hook.disable() };
}
