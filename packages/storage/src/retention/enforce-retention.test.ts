import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/storage.js';
import { FakeClock, T0, TARGET_KINDS, TestTarget } from '../test-support/test-target.js';
import { DEFAULT_RETENTION } from './retention-policy.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function seriesRow(db: Database.Database, table: string, key: number, time: number): void {
  if (table === 'hashrate_samples') {
    db.prepare('insert into hashrate_samples values (?, ?, 1, 0, 0)').run(key, time);
  } else {
    db.prepare(`insert into ${table} values (?, ?, 1, 1, 1, 1, 0, 0)`).run(key, time);
  }
}

function count(db: Database.Database, table: string): number {
  return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}

describe.each(TARGET_KINDS)('retention (%s)', (kind) => {
  let target: TestTarget;
  let clock: FakeClock;
  let storage: Storage | undefined;

  beforeEach(() => {
    target = new TestTarget(kind);
    clock = new FakeClock(T0 + 400 * DAY);
  });
  afterEach(async () => {
    await storage?.close();
    storage = undefined;
    target.dispose();
  });

  /** Creates the schema, lets `seed` write rows directly, then opens the storage under test. */
  async function seeded(seed: (db: Database.Database) => void, settings = {}): Promise<Storage> {
    await (await new Storage(target.options({ now: clock.now })).open()).close();
    seed(target.handle());
    storage = await new Storage(target.options({ now: clock.now, ...settings })).open();
    return storage;
  }

  it('applies the default rule of every table', async () => {
    const now = clock.time;
    const db0 = await seeded((db) => {
      db.prepare('insert into miner_keys values (1, ?, ?), (2, ?, ?)').run('rig', T0, 'gone', T0);
      db.prepare('insert into rollup_state values (?, ?), (?, ?)').run('1m', now, '1h', now);
      for (const [table, age] of [
        ['hashrate_samples', DEFAULT_RETENTION.raw],
        ['hashrate_1m', DEFAULT_RETENTION.minute],
        ['hashrate_1h', DEFAULT_RETENTION.hour],
      ] as const) {
        seriesRow(db, table, 1, now - age - MINUTE); // expired
        seriesRow(db, table, 1, now - age + MINUTE); // kept
      }
      const session = db.prepare(
        'insert into miner_sessions values (?, ?, 1, ?, ?, null, null, ?, 0, 0, 0, null, 0)',
      );
      session.run('old', 'rig', now - 200 * DAY, now - 181 * DAY, 'stopped');
      session.run('recent', 'rig', now - 200 * DAY, now - 179 * DAY, 'stopped');
      session.run('open', 'rig', now - 300 * DAY, null, null);
      const event = db.prepare('insert into events values (?, ?, ?, ?, ?)');
      event.run('e-old', 'rig', 'miner.state', now - 31 * DAY, '{}');
      event.run('e-new', 'rig', 'miner.state', now - 29 * DAY, '{}');
      const miner = db.prepare("insert into miners values (?, ?, 'xmrig', '{}', null, 0, 0, 0, ?)");
      miner.run('removed-long-ago', 'A', now - 366 * DAY);
      miner.run('removed-lately', 'B', now - 10 * DAY);
      miner.run('live', 'C', null);
    });

    const report = await db0.enforceRetention();
    expect(report).toEqual({
      hashrate_samples: 1,
      hashrate_1m: 1,
      hashrate_1h: 1,
      miner_sessions: 1,
      events: 1,
      miners: 1,
      miner_keys: 1, // "gone" has no data left in any series
    });
    const db = target.handle();
    for (const table of ['hashrate_samples', 'hashrate_1m', 'hashrate_1h'])
      expect(count(db, table)).toBe(1);
    expect(db.prepare('select id from miner_sessions order by id').all()).toEqual([
      { id: 'open' }, // never deleted while open
      { id: 'recent' },
    ]);
    expect(db.prepare('select id from events').all()).toEqual([{ id: 'e-new' }]);
    expect(db.prepare('select id from miners order by id').all()).toEqual([
      { id: 'live' },
      { id: 'removed-lately' },
    ]);
    expect(db.prepare('select miner_id from miner_keys').all()).toEqual([{ miner_id: 'rig' }]);
    expect(await db0.enforceRetention()).toMatchObject({ hashrate_samples: 0, events: 0 });
  });

  it('keeps rows the next tier has not rolled up yet, whatever their age', async () => {
    const now = clock.time;
    const s = await seeded((db) => {
      db.prepare('insert into miner_keys values (1, ?, ?)').run('rig', T0);
      db.prepare('insert into rollup_state values (?, ?), (?, ?)').run(
        '1m',
        now - 50 * HOUR,
        '1h',
        now - 40 * DAY,
      );
      seriesRow(db, 'hashrate_samples', 1, now - 51 * HOUR); // rolled up: goes
      seriesRow(db, 'hashrate_samples', 1, now - 49 * HOUR); // expired but not rolled up: stays
      seriesRow(db, 'hashrate_1m', 1, now - 41 * DAY);
      seriesRow(db, 'hashrate_1m', 1, now - 39 * DAY);
    });
    const report = await s.enforceRetention();
    expect(report).toMatchObject({ hashrate_samples: 1, hashrate_1m: 1 });
    expect(count(target.handle(), 'hashrate_samples')).toBe(1);
    expect(count(target.handle(), 'hashrate_1m')).toBe(1);
  });

  it('deletes in small batches, ties included, until nothing expired is left', async () => {
    const now = clock.time;
    const s = await seeded(
      (db) => {
        db.prepare('insert into miner_keys values (1, ?, ?), (2, ?, ?)').run('a', T0, 'b', T0);
        db.prepare('insert into rollup_state values (?, ?), (?, ?)').run('1m', now, '1h', now);
        for (let i = 0; i < 50; i += 1) {
          seriesRow(db, 'hashrate_samples', 1, now - 3 * DAY - i * 1000);
          seriesRow(db, 'hashrate_samples', 2, now - 3 * DAY - i * 1000);
        }
        const event = db.prepare('insert into events values (?, ?, ?, ?, ?)');
        // 30 events in the same millisecond: a batch bound must not stall on the tie.
        for (let i = 0; i < 30; i += 1)
          event.run(`e${i}`, 'a', 'miner.state', now - 40 * DAY, '{}');
      },
      { maintenance: { deleteBatchRows: 7 } },
    );
    const report = await s.enforceRetention();
    expect(report).toMatchObject({ hashrate_samples: 100, events: 30 });
    expect(count(target.handle(), 'hashrate_samples')).toBe(0);
    expect(count(target.handle(), 'events')).toBe(0);
  });

  it('stays bounded as a fake clock runs for weeks with jobs on every tick', async () => {
    storage = await new Storage(
      target.options({
        now: clock.now,
        retention: {
          raw: 2 * DAY,
          minute: 3 * DAY,
          hour: 5 * DAY,
          events: 2 * DAY,
          sessions: 2 * DAY,
        },
      }),
    ).open();
    const s = storage;
    const start = clock.time;
    const counts: Array<Record<string, number>> = [];
    for (let day = 0; day < 9; day += 1) {
      s.recordSession({
        id: `run-${day}`,
        minerId: 'rig',
        generation: day,
        startedAt: clock.time,
        endedAt: clock.time + 1000,
        endReason: 'stopped',
        restartAttempt: 0,
        shares: { accepted: 0, rejected: 0 },
        samples: 0,
      });
      // One sample every 5 minutes (enough to fill every tier), one event an hour.
      for (let step = 0; step < 288; step += 1) {
        clock.time = start + day * DAY + step * 5 * MINUTE;
        s.writeSample('rig', { time: clock.time, hashrate: 1000 + step });
        if (step % 12 === 0)
          s.recordEvent({ minerId: 'rig', type: 'miner.health', time: clock.time, data: {} });
      }
      await s.flush();
      clock.time = start + (day + 1) * DAY;
      await s.runMaintenance({ retention: true });
      const db = target.handle();
      counts.push(
        Object.fromEntries(
          ['hashrate_samples', 'hashrate_1m', 'hashrate_1h', 'events', 'miner_sessions'].map(
            (t) => [t, count(db, t)],
          ),
        ),
      );
    }
    const last = counts.at(-1);
    expect(last).toEqual({
      hashrate_samples: 2 * 288, // 48 h of raw
      hashrate_1m: 3 * 288, // 3 days of (5-minute-sparse) minutes
      hashrate_1h: 5 * 24 - 1, // the hour that just ended waits for its last minute
      events: 2 * 24,
      miner_sessions: 2,
    });
    // Once every window is full, nothing grows.
    expect(counts.at(-2)).toEqual(last);
  });

  it('shrinks the file on demand with a full VACUUM', async () => {
    const now = clock.time;
    const s = await seeded((db) => {
      db.prepare('insert into miner_keys values (1, ?, ?)').run('rig', T0);
      db.prepare('insert into rollup_state values (?, ?), (?, ?)').run('1m', now, '1h', now);
      const insert = db.prepare('insert into hashrate_samples values (1, ?, 1, 0, 0)');
      db.transaction(() => {
        for (let i = 0; i < 20_000; i += 1) insert.run(now - 3 * DAY - i * 1000);
      })();
    });
    expect((await s.enforceRetention()).hashrate_samples).toBe(20_000);
    expect(await s.vacuum({ full: true })).toBeGreaterThan(10);
    expect(await s.vacuum()).toBe(0); // nothing left to release
  });

  // Skipped for :memory: on purpose: an in-memory database has no file that could shrink.
  it.runIf(kind === 'file')(
    'returns freed pages to the file system (incremental vacuum)',
    async () => {
      const now = clock.time;
      const s = await seeded((db) => {
        db.prepare('insert into miner_keys values (1, ?, ?)').run('rig', T0);
        db.prepare('insert into rollup_state values (?, ?), (?, ?)').run('1m', now, '1h', now);
        const insert = db.prepare('insert into hashrate_samples values (1, ?, 1, 0, 0)');
        db.transaction(() => {
          for (let i = 0; i < 100_000; i += 1) insert.run(now - 3 * DAY - i * 1000);
        })();
      });
      const pages = () => target.handle().pragma('page_count', { simple: true }) as number;
      const before = pages();
      const report = await s.runMaintenance({ retention: true });
      expect(report.retention?.hashrate_samples).toBe(100_000);
      expect(report.vacuumedPages).toBeGreaterThan(100);
      expect(pages()).toBeLessThan(before - 100);
      expect(target.handle().pragma('freelist_count', { simple: true })).toBe(0);
    },
  );
});
