import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Scope } from './scope.js';

describe('Scope', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('releases timers, intervals and listeners on dispose', async () => {
    vi.useFakeTimers();
    const scope = new Scope();
    const emitter = new EventEmitter();
    const fired = vi.fn();
    scope.setTimeout(fired, 1000);
    scope.setInterval(fired, 100);
    scope.listen(emitter, 'data', fired);
    expect(scope.size).toBe(3);
    expect(emitter.listenerCount('data')).toBe(1);

    await scope.dispose();

    expect(scope.size).toBe(0);
    expect(emitter.listenerCount('data')).toBe(0);
    vi.advanceTimersByTime(10_000);
    emitter.emit('data');
    expect(fired).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forgets a one-shot timer once it fired', () => {
    vi.useFakeTimers();
    const scope = new Scope();
    const fired = vi.fn();
    scope.setTimeout(fired, 50);
    vi.advanceTimersByTime(50);
    expect(fired).toHaveBeenCalledOnce();
    expect(scope.size).toBe(0);
  });

  it('runs cleanups last-in first-out and only once', async () => {
    const scope = new Scope();
    const order: string[] = [];
    scope.defer(() => {
      order.push('a');
    });
    const early = scope.defer(() => {
      order.push('b');
    });
    scope.defer(async () => {
      order.push('c');
    });
    early();
    early();
    await Promise.all([scope.dispose(), scope.dispose()]);
    expect(order).toEqual(['b', 'c', 'a']);
  });

  it('reports cleanup and timer errors instead of throwing, and keeps releasing', async () => {
    vi.useFakeTimers();
    const errors: unknown[] = [];
    const scope = new Scope({ onError: (e) => errors.push(e) });
    const after = vi.fn();
    scope.defer(after);
    scope.defer(() => {
      throw new Error('cleanup failed');
    });
    scope.setTimeout(() => {
      throw new Error('timer failed');
    }, 10);
    vi.advanceTimersByTime(10);
    await scope.dispose();
    expect(after).toHaveBeenCalledOnce();
    expect(errors.map((e) => (e as Error).message)).toEqual(['timer failed', 'cleanup failed']);
  });

  it('refuses new resources after dispose (they would leak)', async () => {
    const scope = new Scope();
    await scope.dispose();
    expect(() => scope.setTimeout(() => {}, 1)).toThrow(
      expect.objectContaining({ code: 'E_SCOPE_DISPOSED' }),
    );
    expect(scope.signal.aborted).toBe(true);
  });

  it('disposes child scopes with the parent, and a child disposed early is forgotten', async () => {
    const parent = new Scope();
    const a = parent.child();
    const b = parent.child();
    const released = vi.fn();
    a.defer(released);
    await b.dispose();
    expect(parent.size).toBe(1);
    await parent.dispose();
    expect(released).toHaveBeenCalledOnce();
    expect(a.disposed).toBe(true);
  });

  it('adopts resources by their dispose, close or destroy method', async () => {
    const scope = new Scope();
    const closed = vi.fn();
    const destroyed = vi.fn();
    const disposed = vi.fn(async () => {});
    scope.adopt({ close: closed });
    scope.adopt({ destroy: destroyed });
    scope.adopt({ [Symbol.asyncDispose]: disposed });
    expect(() => scope.adopt({})).toThrow(expect.objectContaining({ code: 'E_SCOPE_INVALID' }));
    await scope.dispose();
    expect([closed, destroyed, disposed].every((f) => f.mock.calls.length === 1)).toBe(true);
  });

  it('works with EventTarget', async () => {
    const scope = new Scope();
    const target = new EventTarget();
    const seen = vi.fn();
    scope.listen(target, 'ping', seen);
    target.dispatchEvent(new Event('ping'));
    await scope.dispose();
    target.dispatchEvent(new Event('ping'));
    expect(seen).toHaveBeenCalledOnce();
  });
});
