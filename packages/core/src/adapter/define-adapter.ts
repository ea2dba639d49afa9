import type { Adapter } from './adapter.js';

/**
 * Declares an adapter with full type inference of its options and session. Does nothing at
 * run time: checks happen when the adapter is registered with a manager.
 */
export function defineAdapter<Options, Session extends object = Record<string, unknown>>(
  adapter: Adapter<Options, Session>,
): Adapter<Options, Session> {
  return adapter;
}
