import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RigkitEvents } from '../events/rigkit-events.js';
import { fakeAdapter } from '../testing/fake-launcher.js';
import { harness } from '../testing/harness.js';

const guard = { temperatureLimitC: 85, temperatureResumeC: 75, temperatureSamples: 2 };

describe('temperature guard in the supervisor', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('pauses through the adapter when too hot, keeps the stall watchdog quiet, resumes when cool', async () => {
    const { manager, behaviour, events } = harness({
      supervision: {
        ...guard,
        temperatureAction: 'pause',
        stallTimeoutMs: 20_000,
        probeIntervalMs: 5000,
      },
    });
    const pauseable = {
      ...fakeAdapter(behaviour, () => Date.now(), { pauseable: true }),
      kind: 'gpu',
    };
    manager.adapters.register(pauseable);
    const miner = await manager.create({ kind: 'gpu', name: 'rig' });
    await miner.start();
    behaviour.temperatures = [70, 91];
    await miner.sample();
    expect(behaviour.pauses).toBeUndefined();
    await miner.sample();
    await vi.advanceTimersByTimeAsync(0);
    expect(behaviour.pauses).toEqual(['pause']);
    expect(miner.info().paused).toBe(true);
    const guardEvents = () =>
      events
        .filter((e) => e.type === 'miner.guard')
        .map((e) => e.payload as RigkitEvents['miner.guard']);
    expect(guardEvents()).toEqual([
      expect.objectContaining({
        action: 'pause',
        reason: 'overheat',
        device: 'gpu:1',
        temperatureC: 91,
        limitC: 85,
      }),
    ]);
    // Paused miners hash at zero on purpose: no stall restart however long the cool-down takes.
    behaviour.hashrate = 0;
    behaviour.temperatures = [70, 80];
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(10_000);
      await miner.sample();
    }
    expect(miner.generation).toBe(1);
    expect(miner.state).toBe('running');
    behaviour.temperatures = [70, 74];
    behaviour.hashrate = 1000;
    await miner.sample();
    await vi.advanceTimersByTimeAsync(0);
    expect(behaviour.pauses).toEqual(['pause', 'resume']);
    expect(guardEvents().map((e) => e.action)).toEqual(['pause', 'resume']);
    expect(miner.info().paused).toBe(false);
    await manager.close();
  });

  it('stops an adapter that cannot pause, records why, and starts again after the cool-down', async () => {
    const { manager, behaviour, launcher, states } = harness({
      supervision: { ...guard, temperatureAction: 'pause', temperatureCooldownMs: 60_000 },
    });
    const miner = await manager.create({ kind: 'fake', name: 'rig' });
    await miner.start();
    const restarts: Array<RigkitEvents['miner.restart']> = [];
    miner.on('miner.restart', (e) => restarts.push(e));
    behaviour.temperatures = [95];
    await miner.sample();
    await miner.sample();
    await vi.advanceTimersByTimeAsync(0);
    expect(miner.state).toBe('backoff');
    expect(launcher.live()).toHaveLength(0);
    expect(restarts).toEqual([
      expect.objectContaining({ reason: 'overheat', delayMs: 60_000, attempt: 0 }),
    ]);
    behaviour.temperatures = [60];
    await vi.advanceTimersByTimeAsync(60_000);
    expect(miner.state).toBe('running');
    expect(states()).toEqual(['starting', 'running', 'stopping', 'backoff', 'starting', 'running']);
    await manager.close();
  });

  it('stays stopped when the cool-down is 0, and is off by default', async () => {
    const { manager, behaviour } = harness({
      supervision: { ...guard, temperatureAction: 'stop', temperatureCooldownMs: 0 },
    });
    const miner = await manager.create({ kind: 'fake', name: 'rig' });
    await miner.start();
    behaviour.temperatures = [99];
    await miner.sample();
    await miner.sample();
    await vi.advanceTimersByTimeAsync(0);
    expect(miner.state).toBe('stopped');
    await manager.close();

    const off = harness();
    const m2 = await off.manager.create({ kind: 'fake', name: 'rig' });
    await m2.start();
    off.behaviour.temperatures = [120];
    for (let i = 0; i < 5; i++) await m2.sample();
    expect(m2.state).toBe('running');
    await off.manager.close();
  });

  it('rejects a resume limit at or above the limit', async () => {
    const { manager } = harness();
    await expect(
      manager.create({
        kind: 'fake',
        name: 'x',
        supervision: { temperatureLimitC: 80, temperatureResumeC: 85 },
      }),
    ).rejects.toThrow(/temperatureResumeC: must be below temperatureLimitC/);
    await manager.close();
  });
});
