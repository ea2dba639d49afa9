import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/storage.js';
import { FakeClock, T0, TARGET_KINDS, TestTarget } from '../test-support/test-target.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(TARGET_KINDS)('unclean-shutdown repair (%s)', (kind) => {
  let target: TestTarget;
  let clock: FakeClock;

  beforeEach(() => {
    target = new TestTarget(kind);
    clock = new FakeClock(T0);
  });
  afterEach(() => target.dispose());

  function start(storage: Storage, id: string, minerId: string, startedAt: number) {
    storage.recordSession({
      id,
      minerId,
      generation: 1,
      startedAt,
      restartAttempt: 0,
      shares: { accepted: 0, rejected: 0 },
      samples: 0,
    });
  }

  it('closes sessions left open, ending them at the last sample of their run', async () => {
    const crashed = await new Storage(target.options({ now: clock.now })).open();
    start(crashed, 'with-samples', 'rig-a', T0);
    start(crashed, 'without-samples', 'rig-b', T0 + 1000);
    crashed.recordSession({
      id: 'finished',
      minerId: 'rig-c',
      generation: 1,
      startedAt: T0,
      endedAt: T0 + 10,
      endReason: 'stopped',
      restartAttempt: 0,
      shares: { accepted: 0, rejected: 0 },
      samples: 0,
    });
    for (let i = 0; i < 30; i += 1)
      crashed.writeSample('rig-a', { time: T0 + i * 10_000, hashrate: 1 });
    await crashed.flush();
    // The process dies: no session end is ever recorded. (Closing only releases the handle.)
    await crashed.close();

    const reopened = await new Storage(target.options({ now: clock.now })).open();
    expect(reopened.stats().repairedSessions).toBe(2);
    expect(await reopened.sessions('rig-a')).toEqual([
      expect.objectContaining({
        id: 'with-samples',
        endedAt: T0 + 290_000,
        endReason: 'unclean-shutdown',
      }),
    ]);
    expect(await reopened.sessions('rig-b')).toEqual([
      expect.objectContaining({ endedAt: T0 + 1000, endReason: 'unclean-shutdown' }),
    ]);
    expect(await reopened.sessions('rig-c')).toEqual([
      expect.objectContaining({ endedAt: T0 + 10, endReason: 'stopped' }),
    ]);
    await reopened.close();
    const again = await new Storage(target.options({ now: clock.now })).open();
    expect(again.stats().repairedSessions).toBe(0);
    await again.close();
  });

  it('falls back to the roll-ups once raw samples have aged out', async () => {
    const crashed = await new Storage(target.options({ now: clock.now })).open();
    start(crashed, 'long', 'rig', T0);
    for (let i = 0; i < 360; i += 1)
      crashed.writeSample('rig', { time: T0 + i * 10_000, hashrate: 1 });
    await crashed.flush();
    clock.time = T0 + 3 * DAY;
    await crashed.runMaintenance({ retention: true }); // raw gone, minutes kept
    await crashed.close();

    const reopened = await new Storage(target.options({ now: clock.now })).open();
    expect(await reopened.sessions('rig')).toEqual([
      expect.objectContaining({ endedAt: T0 + HOUR - 60_000, endReason: 'unclean-shutdown' }),
    ]);
    await reopened.close();
  });
});
