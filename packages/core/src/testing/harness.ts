// Test support: a manager on the fake launcher under fake timers, plus event helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { EventBus } from '../events/event-bus.js';
import type { RigkitEvents } from '../events/rigkit-events.js';
import { createManager, type ManagerOptions } from '../manager/manager.js';
import type { SupervisionOptions } from '../supervisor/supervision-options.js';
import { type FakeBehaviour, FakeLauncher, fakeAdapter } from './fake-launcher.js';

export const fastSupervision: Partial<SupervisionOptions> = {
  probeIntervalMs: 1000,
  probeTimeoutMs: 500,
  startTimeoutMs: 5000,
  readyPollMs: 100,
  warmupMs: 0,
  unhealthyAfter: 2,
  stallTimeoutMs: 0,
  backoffInitialMs: 1000,
  backoffMaxMs: 8000,
  backoffJitter: 0,
  crashLoopMaxRestarts: 3,
  crashLoopWindowMs: 60_000,
  stopGraceMs: 2000,
};

export function harness(
  overrides: Partial<ManagerOptions> = {},
  behaviourOverrides: Partial<FakeBehaviour> = {},
) {
  const behaviour: FakeBehaviour = {
    probe: 'ok',
    hashrate: 1000,
    stats: 'ok',
    ...behaviourOverrides,
  };
  const launcher = new FakeLauncher(() => Date.now());
  let dataDir = overrides.dataDir;
  if (dataDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'rigkit-core-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    dataDir = dir;
  }
  const manager = createManager({
    adapters: [fakeAdapter(behaviour, () => Date.now())],
    launcher,
    monitor: false,
    sampleIntervalMs: 0,
    random: () => 0.5,
    ...overrides,
    dataDir,
    supervision: { ...fastSupervision, ...overrides.supervision },
  });
  const events: Array<{ type: string; payload: unknown }> = [];
  manager.events.onAny((type, payload) => events.push({ type, payload }));
  const states = () =>
    events
      .filter((e) => e.type === 'miner.state')
      .map((e) => (e.payload as RigkitEvents['miner.state']).to);
  return { manager, launcher, behaviour, events, states };
}

/** Resolves with the next event of `type` that matches. */
export function nextEvent<K extends keyof RigkitEvents & string>(
  bus: EventBus<RigkitEvents>,
  type: K,
  predicate: (payload: RigkitEvents[K]) => boolean = () => true,
): Promise<RigkitEvents[K]> {
  return new Promise((resolve) => {
    const off = bus.on(type, (payload) => {
      if (!predicate(payload)) return;
      off();
      resolve(payload);
    });
  });
}
