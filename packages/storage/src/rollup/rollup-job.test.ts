import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/storage.js';
import { FakeClock, T0, TARGET_KINDS, TestTarget } from '../test-support/test-target.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

describe.each(TARGET_KINDS)('roll-ups (%s)', (kind) => {
  let target: TestTarget;
  let clock: FakeClock;
  let storage: Storage;

  const open = async () => {
    storage = await new Storage(target.options({ now: clock.now })).open();
    return storage;
  };
  const rows = (table: 'hashrate_1m' | 'hashrate_1h') =>
    target.handle().prepare(`select * from ${table} order by miner_key, bucket`).all() as Array<{
      bucket: number;
      hashrate_avg: number | null;
      hashrate_min: number | null;
      hashrate_max: number | null;
      samples: number;
      shares_accepted: number;
      shares_rejected: number;
    }>;

  beforeEach(async () => {
    target = new TestTarget(kind);
    clock = new FakeClock(T0);
    await open();
  });
  afterEach(async () => {
    await storage.close();
    target.dispose();
  });

  it('computes avg/min/max/count and shares per minute, split exactly at bucket edges', async () => {
    // minute 0: 100 @0s, 200 @30s, 600 @59.999s; minute 1: 1000 @60s (the edge), none @90s
    storage.writeSample('rig', { time: T0, hashrate: 100, shares: { accepted: 1, rejected: 0 } });
    storage.writeSample('rig', {
      time: T0 + 30_000,
      hashrate: 200,
      shares: { accepted: 3, rejected: 1 },
    });
    storage.writeSample('rig', {
      time: T0 + 59_999,
      hashrate: 600,
      shares: { accepted: 3, rejected: 1 },
    });
    storage.writeSample('rig', {
      time: T0 + MINUTE,
      hashrate: 1000,
      shares: { accepted: 7, rejected: 1 },
    });
    storage.writeSample('rig', {
      time: T0 + 90_000,
      hashrate: undefined,
      shares: { accepted: 8, rejected: 2 },
    });
    await storage.flush();
    clock.time = T0 + HOUR + MINUTE;
    await storage.rollup();

    expect(rows('hashrate_1m')).toEqual([
      expect.objectContaining({
        bucket: T0,
        hashrate_avg: 300,
        hashrate_min: 100,
        hashrate_max: 600,
        samples: 3,
        shares_accepted: 3,
        shares_rejected: 1,
      }),
      expect.objectContaining({
        bucket: T0 + MINUTE,
        hashrate_avg: 1000,
        hashrate_min: 1000,
        hashrate_max: 1000,
        samples: 1, // the sample without a hashrate adds shares, not weight
        shares_accepted: 5,
        shares_rejected: 1,
      }),
    ]);
    // The hour is the mean of all four hashrates (1900 / 4), not the mean of minute means.
    expect(rows('hashrate_1h')).toEqual([
      expect.objectContaining({
        bucket: T0,
        hashrate_avg: 475,
        hashrate_min: 100,
        hashrate_max: 1000,
        samples: 4,
        shares_accepted: 8,
        shares_rejected: 2,
      }),
    ]);
  });

  it('rolls up only complete buckets, after the delay that lets queued samples land', async () => {
    storage.writeSample('rig', { time: T0 + 10_000, hashrate: 1 });
    await storage.flush();
    clock.time = T0 + MINUTE + 4_999; // the minute ended, but less than 5 s ago
    await storage.rollup();
    expect(rows('hashrate_1m')).toEqual([]);
    clock.time = T0 + MINUTE + 5_000;
    const report = await storage.rollup();
    expect(report.upserted['1m']).toBe(1);
    expect(report.watermarks['1m']).toBe(T0 + MINUTE);
    expect(rows('hashrate_1h')).toEqual([]); // the hour is not over
  });

  it('is incremental: a second run touches only new buckets', async () => {
    for (let i = 0; i < 18; i += 1)
      storage.writeSample('rig', { time: T0 + i * 10_000, hashrate: i });
    await storage.flush();
    clock.time = T0 + 10 * MINUTE;
    expect((await storage.rollup()).upserted['1m']).toBe(3);
    expect((await storage.rollup()).upserted['1m']).toBe(0);
    storage.writeSample('rig', { time: T0 + 5 * MINUTE, hashrate: 5 });
    await storage.flush();
    clock.time = T0 + 10 * MINUTE;
    // A late sample below the watermark: only its minute has data to redo.
    const report = await storage.rollup();
    expect(report.upserted['1m']).toBe(1);
    expect(rows('hashrate_1m').map((row) => row.bucket)).toEqual([
      T0,
      T0 + MINUTE,
      T0 + 2 * MINUTE,
      T0 + 5 * MINUTE,
    ]);
  });

  it('re-rolls a minute when a sample arrives after it was rolled up', async () => {
    storage.writeSample('rig', { time: T0, hashrate: 100 });
    await storage.flush();
    clock.time = T0 + HOUR + MINUTE;
    await storage.rollup();
    storage.writeSample('rig', { time: T0 + 20_000, hashrate: 300 }); // late
    await storage.flush();
    await storage.rollup();
    expect(rows('hashrate_1m')).toEqual([
      expect.objectContaining({ bucket: T0, hashrate_avg: 200, samples: 2 }),
    ]);
    expect(rows('hashrate_1h')).toEqual([
      expect.objectContaining({ bucket: T0, hashrate_avg: 200, samples: 2 }),
    ]);
  });

  it('leaves no trace of a roll-up that crashed mid-transaction, and finishes it after reopen', async () => {
    for (let i = 0; i < 3 * 360; i += 1) {
      storage.writeSample(`rig-${i % 3}`, {
        time: T0 + Math.floor(i / 3) * 10_000,
        hashrate: 1000 + (i % 7),
      });
    }
    await storage.flush();
    clock.time = T0 + 2 * HOUR;
    // The crash: the watermark write fails after the buckets were upserted in the same step.
    const db = target.handle();
    db.exec(`create trigger crash_insert before insert on rollup_state begin select raise(abort, 'power cut'); end;
             create trigger crash_update before update on rollup_state begin select raise(abort, 'power cut'); end;`);
    await expect(storage.rollup()).rejects.toMatchObject({ code: 'E_STORAGE_WRITE' });
    expect(rows('hashrate_1m')).toEqual([]); // rolled back with the watermark
    await storage.close();

    db.exec('drop trigger crash_insert; drop trigger crash_update;');
    await open();
    await storage.rollup();
    const minutes = rows('hashrate_1m');
    expect(minutes).toHaveLength(3 * 60);
    expect(new Set(minutes.map((row) => row.samples))).toEqual(new Set([6]));
    expect(rows('hashrate_1h')).toHaveLength(3);
  });

  it('rewrites identical rows (never duplicates) when a lost watermark makes it redo work', async () => {
    for (let i = 0; i < 720; i += 1) {
      storage.writeSample('rig', {
        time: T0 + i * 10_000,
        hashrate: (i * 37) % 1000,
        shares: { accepted: i, rejected: 0 },
      });
    }
    await storage.flush();
    clock.time = T0 + 3 * HOUR;
    await storage.rollup();
    const minutes = rows('hashrate_1m');
    const hours = rows('hashrate_1h');
    await storage.close();

    // As if the process died after committing buckets but before a newer watermark landed.
    target.handle().exec('delete from rollup_state');
    await open();
    const report = await storage.rollup();
    expect(report.upserted['1m']).toBe(120);
    expect(rows('hashrate_1m')).toEqual(minutes);
    expect(rows('hashrate_1h')).toEqual(hours);
  });

  it('crosses long gaps without visiting every empty bucket', async () => {
    clock.time = T0;
    storage.writeSample('rig', { time: T0, hashrate: 1 });
    await storage.flush();
    clock.time = T0 + 40 * HOUR;
    storage.writeSample('rig', { time: T0 + 40 * HOUR, hashrate: 3 });
    await storage.flush();
    clock.time = T0 + 42 * HOUR;
    const report = await storage.rollup();
    expect(report.upserted).toEqual({ '1m': 2, '1h': 2 });
    expect(rows('hashrate_1h').map((row) => row.bucket)).toEqual([T0, T0 + 40 * HOUR]);
  });
});
