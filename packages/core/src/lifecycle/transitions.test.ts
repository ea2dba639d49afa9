import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, MINER_STATES, TRANSITIONS } from './transitions.js';

// The expected table, written out independently: a change to TRANSITIONS must change this too.
const ALLOWED = new Set([
  'idle>starting',
  'starting>running',
  'starting>stopping',
  'starting>crashed',
  'running>stopping',
  'running>crashed',
  'stopping>stopped',
  'stopping>backoff',
  'stopping>starting',
  'stopping>failed',
  'stopped>starting',
  'crashed>backoff',
  'crashed>failed',
  'crashed>stopped',
  'backoff>starting',
  'backoff>stopped',
  'failed>starting',
]);

describe('lifecycle transition table', () => {
  const pairs = MINER_STATES.flatMap((from) => MINER_STATES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s', (from, to) => {
    const allowed = ALLOWED.has(`${from}>${to}`);
    expect(canTransition(from, to)).toBe(allowed);
    if (allowed) {
      expect(() => assertTransition(from, to)).not.toThrow();
    } else {
      expect(() => assertTransition(from, to)).toThrow(
        expect.objectContaining({ code: 'E_INVALID_TRANSITION', details: { from, to } }),
      );
    }
  });

  it('covers every state and never allows a self-transition', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...MINER_STATES].sort());
    for (const state of MINER_STATES) expect(canTransition(state, state)).toBe(false);
  });

  it('lets every state reach stopped or starting (no dead ends)', () => {
    for (const state of MINER_STATES) {
      const seen = new Set([state]);
      const queue = [state];
      while (queue.length > 0) {
        const next = queue.shift() as (typeof MINER_STATES)[number];
        for (const to of TRANSITIONS[next]) {
          if (!seen.has(to)) {
            seen.add(to);
            queue.push(to);
          }
        }
      }
      expect(seen.has('starting') || state === 'starting').toBe(true);
    }
  });
});
