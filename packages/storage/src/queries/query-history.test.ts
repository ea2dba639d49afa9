import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/storage.js';
import { FakeClock, T0, TARGET_KINDS, TestTarget } from '../test-support/test-target.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Raw samples of `minerId` every `stepMs` over `[from, to)`, written through the sink. */
async function sample(
  storage: Storage,
  minerId: string,
  from: number,
  to: number,
  stepMs = 10_000,
) {
  for (let time = from; time < to; time += stepMs) {
    storage.writeSample(minerId, { time, hashrate: 1000 + ((time / stepMs) % 100) });
    if (storage.stats().queued >= 20_000) await storage.flush();
  }
  await storage.flush();
}

/** A year of hourly and a month of minute roll-ups written directly (fast), plus raw for 47 h. */
async function aYearOfData(storage: Storage, target: TestTarget, now: number, minerId: string) {
  await sample(storage, minerId, now - 47 * HOUR, now);
  await storage.rollup();
  const db = target.handle();
  const key = (
    db.prepare('select key from miner_keys where miner_id = ?').get(minerId) as { key: number }
  ).key;
  const minute = db.prepare(
    'insert or ignore into hashrate_1m values (?, ?, 1000, 900, 1100, 6, 1, 0)',
  );
  const hour = db.prepare(
    'insert or ignore into hashrate_1h values (?, ?, 1000, 900, 1100, 360, 60, 0)',
  );
  db.transaction(() => {
    for (let t = now - 30 * DAY; t < now - 47 * HOUR; t += MINUTE)
      minute.run(key, t - (t % MINUTE));
    for (let t = now - 365 * DAY; t < now - 47 * HOUR; t += HOUR) hour.run(key, t - (t % HOUR));
  })();
}

describe.each(TARGET_KINDS)('history() (%s)', (kind) => {
  describe('over a year of data', () => {
    const year = {} as { target: TestTarget; clock: FakeClock; storage: Storage };
    beforeAll(async () => {
      year.target = new TestTarget(kind);
      year.clock = new FakeClock(T0 + 400 * DAY + 17_000); // not minute-aligned on purpose
      year.storage = await new Storage(year.target.options({ now: year.clock.now })).open();
      await aYearOfData(year.storage, year.target, year.clock.time, 'rig');
      for (const other of ['rig-2', 'rig-3'])
        await sample(year.storage, other, year.clock.time - HOUR, year.clock.time);
    });
    afterAll(async () => {
      await year.storage.close();
      year.target.dispose();
    });

    it.each([
      ['1 h', HOUR, 'raw', 360],
      ['1 d', DAY, '1m', 720],
      ['30 d', 30 * DAY, '1h', 720],
      ['1 y', 365 * DAY, '1h', 974],
    ] as const)('answers %s from the right table', async (_name, span, resolution, points) => {
      const now = year.clock.time;
      const result = await year.storage.history('rig', now - span, now, { maxPoints: 1000 });
      expect(result.resolution).toBe(resolution);
      expect(result.points.length).toBeLessThanOrEqual(1000);
      expect(result.points.length).toBeGreaterThanOrEqual(points - 2);
      for (const point of result.points) {
        expect(point.time).toBeGreaterThanOrEqual(now - span);
        expect(point.time).toBeLessThan(now);
        expect(point.hashrate).not.toBeNull();
      }
    });

    it('reads 24 h at one-minute resolution as 1440 points', async () => {
      const now = year.clock.time;
      const result = await year.storage.history('rig', now - DAY, now, { maxPoints: 1440 });
      expect(result).toMatchObject({ resolution: '1m', stepMs: MINUTE });
      expect(result.points).toHaveLength(1440);
    });
  });

  describe('with fresh data', () => {
    let target: TestTarget;
    let clock: FakeClock;
    let storage: Storage;

    beforeEach(async () => {
      target = new TestTarget(kind);
      clock = new FakeClock(T0 + 400 * DAY);
      storage = await new Storage(target.options({ now: clock.now })).open();
    });
    afterEach(async () => {
      await storage.close();
      target.dispose();
    });

    it('never returns more than maxPoints, whatever the range and sampling density', async () => {
      const now = clock.time;
      await sample(storage, 'dense', now - 2 * HOUR, now, 1000); // 1 s sampling: 10x the nominal rate
      await sample(storage, 'rig', now - 40 * HOUR, now);
      await storage.rollup();
      for (const minerId of ['dense', 'rig']) {
        for (const maxPoints of [1, 2, 7, 100, 999, 1000, 5000]) {
          for (const span of [MINUTE, 17 * MINUTE, HOUR, 2 * HOUR, 13 * HOUR, DAY, 2 * DAY]) {
            const result = await storage.history(minerId, now - span, now + 1, { maxPoints });
            expect(result.points.length, `${minerId} ${span} ${maxPoints}`).toBeLessThanOrEqual(
              maxPoints,
            );
          }
        }
      }
      const dense = await storage.history('dense', now - HOUR, now, { maxPoints: 1000 });
      expect(dense.resolution).toBe('raw');
      expect(dense.stepMs).toBeGreaterThan(10_000); // regrouped to fit
      expect(dense.points.length).toBeGreaterThan(100);
    });

    it('shows the newest minutes before they are rolled up, merged with rolled-up ones', async () => {
      const now = clock.time;
      await sample(storage, 'rig', now - 3 * HOUR, now);
      clock.time = now - HOUR; // roll up only the first two hours
      await storage.rollup();
      clock.time = now;
      const rolled = await storage.history('rig', now - DAY, now, { maxPoints: 1440 });
      expect(rolled.resolution).toBe('1m');
      expect(rolled.stepMs).toBe(MINUTE);
      expect(rolled.points).toHaveLength(180);
      expect(rolled.points.at(-1)?.time).toBe(now - MINUTE);
      expect(new Set(rolled.points.map((p) => p.samples))).toEqual(new Set([6]));

      // The same answer once everything is rolled up.
      await storage.rollup();
      const after = await storage.history('rig', now - DAY, now, { maxPoints: 1440 });
      expect(after.points).toEqual(rolled.points);
    });

    it('merges hours, minutes and raw samples into whole hourly points', async () => {
      const now = clock.time;
      await sample(storage, 'rig', now - 40 * HOUR, now);
      clock.time = now - 30 * MINUTE;
      await storage.rollup(); // hours final up to now-1h, minutes up to now-31m
      clock.time = now;
      const result = await storage.history('rig', now - 30 * DAY, now, { maxPoints: 1000 });
      expect(result.resolution).toBe('1h');
      expect(result.points).toHaveLength(40);
      expect(result.points.every((p) => p.samples === 360)).toBe(true);
    });

    it('returns no points for a miner without data, and refuses bad arguments', async () => {
      const now = clock.time;
      expect((await storage.history('nobody', now - HOUR, now)).points).toEqual([]);
      for (const call of [
        () => storage.history('not an id!', now - HOUR, now),
        () => storage.history('rig', now, now - HOUR),
        () => storage.history('rig', Number.NaN, now),
        () => storage.history('rig', now - HOUR, now, { maxPoints: 0 }),
        () => storage.history('rig', now - HOUR, now, { maxPoints: 10_001 }),
        () => storage.history('rig', now - HOUR, now, { maxPoints: 1.5 }),
      ]) {
        await expect(call()).rejects.toMatchObject({ code: 'E_STORAGE_INVALID_QUERY' });
      }
    });
  });
});
