import { describe, expect, it, vi } from 'vitest';
import { EventBus } from './event-bus.js';

interface TestEvents {
  tick: { n: number };
  tock: string;
}

describe('EventBus', () => {
  it('delivers typed payloads until the disposer is called', () => {
    const bus = new EventBus<TestEvents>();
    const seen: number[] = [];
    const off = bus.on('tick', ({ n }) => seen.push(n));
    bus.emit('tick', { n: 1 });
    off();
    off();
    bus.emit('tick', { n: 2 });
    expect(seen).toEqual([1]);
    expect(bus.listenerCount()).toBe(0);
  });

  it('delivers every type to onAny listeners after typed ones', () => {
    const bus = new EventBus<TestEvents>();
    const order: string[] = [];
    bus.onAny((type) => order.push(`any:${type}`));
    bus.on('tock', (s) => order.push(`tock:${s}`));
    bus.emit('tock', 'x');
    bus.emit('tick', { n: 1 });
    expect(order).toEqual(['tock:x', 'any:tock', 'any:tick']);
  });

  it('bounds listeners per type', () => {
    const bus = new EventBus<TestEvents>({ maxListeners: 2 });
    bus.on('tick', () => {});
    const off = bus.on('tick', () => {});
    expect(() => bus.on('tick', () => {})).toThrow(
      expect.objectContaining({ code: 'E_LISTENER_LIMIT' }),
    );
    off();
    expect(() => bus.on('tick', () => {})).not.toThrow();
    bus.onAny(() => {});
    bus.onAny(() => {});
    expect(() => bus.onAny(() => {})).toThrow(
      expect.objectContaining({ code: 'E_LISTENER_LIMIT' }),
    );
  });

  it('isolates a throwing listener from the others', () => {
    const onListenerError = vi.fn();
    const bus = new EventBus<TestEvents>({ onListenerError });
    const good = vi.fn();
    bus.on('tick', () => {
      throw new Error('bad subscriber');
    });
    bus.on('tick', good);
    bus.emit('tick', { n: 1 });
    expect(good).toHaveBeenCalledOnce();
    expect(onListenerError).toHaveBeenCalledWith(expect.any(Error), 'tick');
  });

  it('once() fires a single time and tolerates unsubscribing during emit', () => {
    const bus = new EventBus<TestEvents>();
    const seen = vi.fn();
    bus.once('tock', seen);
    bus.emit('tock', 'a');
    bus.emit('tock', 'b');
    expect(seen).toHaveBeenCalledTimes(1);
    expect(bus.listenerCount('tock')).toBe(0);
  });
});
