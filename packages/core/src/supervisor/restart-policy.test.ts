import { describe, expect, it } from 'vitest';
import { RestartPolicy } from './restart-policy.js';
import { resolveSupervision } from './supervision-options.js';

const options = resolveSupervision({
  backoffInitialMs: 1000,
  backoffMaxMs: 8000,
  backoffJitter: 0,
  crashLoopMaxRestarts: 5,
  crashLoopWindowMs: 60_000,
});

describe('RestartPolicy', () => {
  it('doubles the delay up to the maximum', () => {
    const policy = new RestartPolicy(options);
    const delays = [0, 1, 2, 3, 4].map((i) => policy.decide(i, 'crash'));
    expect(delays).toEqual([
      { action: 'restart', delayMs: 1000, attempt: 1 },
      { action: 'restart', delayMs: 2000, attempt: 2 },
      { action: 'restart', delayMs: 4000, attempt: 3 },
      { action: 'restart', delayMs: 8000, attempt: 4 },
      { action: 'restart', delayMs: 8000, attempt: 5 },
    ]);
  });

  it('trips the crash-loop breaker after N restarts in the window, and forgets old ones', () => {
    const policy = new RestartPolicy(options);
    for (let i = 0; i < 5; i++) policy.decide(i * 1000, 'crash');
    expect(policy.decide(5000, 'crash')).toEqual({
      action: 'give-up',
      reason: 'crash-loop',
      restarts: 5,
    });
    // 60 s after the first restart it has left the window: one slot is free again.
    expect(policy.decide(60_001, 'crash')).toMatchObject({ action: 'restart', attempt: 5 });
  });

  it('applies jitter within ±spread', () => {
    const jittery = resolveSupervision({ backoffInitialMs: 1000, backoffJitter: 0.2 });
    expect(new RestartPolicy(jittery, () => 0).decide(0, 'crash')).toMatchObject({ delayMs: 800 });
    expect(new RestartPolicy(jittery, () => 1).decide(0, 'crash')).toMatchObject({ delayMs: 1200 });
  });

  it('gives up on crashes when restartOnCrash is off, but still restarts on health verdicts', () => {
    const policy = new RestartPolicy(resolveSupervision({ restartOnCrash: false }));
    expect(policy.decide(0, 'crash')).toMatchObject({
      action: 'give-up',
      reason: 'restart-disabled',
    });
    expect(policy.decide(0, 'health')).toMatchObject({ action: 'restart' });
  });

  it('reset() forgets the history', () => {
    const policy = new RestartPolicy(options);
    for (let i = 0; i < 5; i++) policy.decide(i, 'crash');
    policy.reset();
    expect(policy.decide(10, 'crash')).toMatchObject({ action: 'restart', attempt: 1 });
  });
});

describe('resolveSupervision', () => {
  it('layers defaults, adapter and user settings', () => {
    const resolved = resolveSupervision(
      { warmupMs: 90_000 },
      { warmupMs: 5_000, probeIntervalMs: 2_000 },
    );
    expect(resolved.warmupMs).toBe(5_000);
    expect(resolved.probeIntervalMs).toBe(2_000);
    expect(resolved.unhealthyAfter).toBe(3);
  });

  it('reports every bad key', () => {
    expect(() =>
      resolveSupervision({ probeTimeoutMs: -1, backoffJitter: 2, unhealthyAfter: 1.5 } as never),
    ).toThrow(
      expect.objectContaining({
        code: 'E_CONFIG_INVALID',
        details: {
          issues: [
            'probeTimeoutMs: must be a finite number ≥ 0',
            'unhealthyAfter: must be an integer',
            'backoffJitter: must be between 0 and 1',
          ],
        },
      }),
    );
    expect(() => resolveSupervision({ nope: 1 } as never)).toThrow(/nope: unknown setting/);
  });
});
