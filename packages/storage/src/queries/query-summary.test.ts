import type { SessionRecord } from '@rigkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/storage.js';
import { FakeClock, T0, TARGET_KINDS, TestTarget } from '../test-support/test-target.js';

const HOUR = 3_600_000;

function run(
  id: string,
  startedAt: number,
  endedAt: number | undefined,
  restartAttempt = 0,
): SessionRecord {
  return {
    id,
    minerId: 'rig',
    generation: 1,
    startedAt,
    ...(endedAt === undefined ? {} : { endedAt, endReason: 'exit' as const }),
    restartAttempt,
    shares: { accepted: 0, rejected: 0 },
    samples: 0,
  };
}

describe.each(TARGET_KINDS)('summary() (%s)', (kind) => {
  let target: TestTarget;
  let clock: FakeClock;
  let storage: Storage;

  beforeEach(async () => {
    target = new TestTarget(kind);
    clock = new FakeClock(T0 + 10 * HOUR);
    storage = await new Storage(target.options({ now: clock.now })).open();
  });
  afterEach(async () => {
    await storage.close();
    target.dispose();
  });

  it('reports uptime from sessions and hashrate and shares from samples', async () => {
    const from = T0 + 6 * HOUR;
    // Up 6:00–7:00, down, up again 8:00–8:30 after an automatic restart, up from 9:00 (open).
    storage.recordSession(run('a', from - HOUR, from + HOUR));
    storage.recordSession(run('b', from + 2 * HOUR, from + 2.5 * HOUR, 1));
    storage.recordSession(run('c', from + 3 * HOUR, undefined));
    for (let i = 0; i < 360; i += 1) {
      storage.writeSample('rig', {
        time: from + i * 10_000,
        hashrate: i % 2 === 0 ? 100 : 300,
        shares: { accepted: i, rejected: Math.floor(i / 100) },
      });
    }
    await storage.flush();
    const summary = await storage.summary('rig', { from, to: from + 4 * HOUR });
    expect(summary).toMatchObject({
      resolution: 'raw',
      // 1 h + 0.5 h + 1 h (9:00 to now=10:00) of 4 h
      uptimePercent: 62.5,
      avgHashrate: 200,
      minHashrate: 100,
      maxHashrate: 300,
      samples: 360,
      sharesAccepted: 359,
      sharesRejected: 3,
      sessions: 3,
      restarts: 1,
    });
  });

  it('counts uptime only up to now, and reports nulls where nothing is known', async () => {
    const summary = await storage.summary('rig', {
      from: clock.time + HOUR,
      to: clock.time + 2 * HOUR,
    });
    expect(summary).toMatchObject({
      uptimePercent: null,
      avgHashrate: null,
      maxHashrate: null,
      samples: 0,
      sessions: 0,
    });
    storage.recordSession(run('x', clock.time - HOUR, undefined));
    await storage.flush();
    const half = await storage.summary('rig', {
      from: clock.time - 2 * HOUR,
      to: clock.time + 5 * HOUR,
    });
    expect(half.uptimePercent).toBe(50);
  });

  it('refuses bad arguments', async () => {
    await expect(storage.summary('rig', { from: 2, to: 1 })).rejects.toMatchObject({
      code: 'E_STORAGE_INVALID_QUERY',
    });
    await expect(storage.summary('../etc', { from: 1, to: 2 })).rejects.toMatchObject({
      code: 'E_STORAGE_INVALID_QUERY',
    });
  });
});
