import { afterEach, describe, expect, it, vi } from 'vitest';
import { withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves with the task value and leaves no timer', async () => {
    vi.useFakeTimers();
    await expect(withTimeout(async () => 42, 1000, 'probe')).resolves.toBe(42);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with E_API_TIMEOUT when a task ignores its signal, and aborts that signal', async () => {
    vi.useFakeTimers();
    let seen: AbortSignal | undefined;
    const pending = withTimeout(
      (signal) => {
        seen = signal;
        return new Promise<never>(() => {});
      },
      500,
      'xmrig API',
    );
    const assertion = expect(pending).rejects.toMatchObject({
      code: 'E_API_TIMEOUT',
      message: 'xmrig API did not answer within 500 ms',
    });
    await vi.advanceTimersByTimeAsync(500);
    await assertion;
    expect(seen?.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with E_ABORTED when the parent aborts, before or during', async () => {
    vi.useFakeTimers();
    const parent = new AbortController();
    const pending = withTimeout(() => new Promise<never>(() => {}), 10_000, 'probe', parent.signal);
    parent.abort();
    await expect(pending).rejects.toMatchObject({ code: 'E_ABORTED' });
    await expect(withTimeout(async () => 1, 10, 'x', parent.signal)).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes task errors through, including synchronous throws', async () => {
    await expect(
      withTimeout(
        () => {
          throw new Error('sync');
        },
        10,
        'x',
      ),
    ).rejects.toThrow('sync');
    await expect(withTimeout(() => Promise.reject(new Error('async')), 10, 'x')).rejects.toThrow(
      'async',
    );
  });
});
