import { EventBus } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../leaks/expect-no-leaks.js';
import { EventTimeoutError, waitForEvent } from './wait-for-event.js';

interface Events {
  tick: { n: number };
}

describe('waitForEvent', () => {
  it('resolves with the first matching event and unsubscribes', async () => {
    const bus = new EventBus<Events>();
    await expectNoLeaks(async () => {
      const third = waitForEvent(bus, 'tick', (e) => e.n === 3);
      for (let n = 1; n <= 5; n++) bus.emit('tick', { n });
      expect(await third).toEqual({ n: 3 });
    });
    expect(bus.listenerCount()).toBe(0);
  });

  it('rejects with EventTimeoutError after the timeout and unsubscribes', async () => {
    const bus = new EventBus<Events>();
    const error = await waitForEvent(bus, 'tick', () => true, 20).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventTimeoutError);
    expect(error).toMatchObject({ type: 'tick', timeoutMs: 20, code: 'E_EVENT_TIMEOUT' });
    expect(bus.listenerCount()).toBe(0);
  });

  it('rejects with what the predicate throws', async () => {
    const bus = new EventBus<Events>();
    const waiting = waitForEvent(bus, 'tick', () => {
      throw new Error('bad predicate');
    });
    bus.emit('tick', { n: 1 });
    await expect(waiting).rejects.toThrow('bad predicate');
    expect(bus.listenerCount()).toBe(0);
  });
});
