import { describe, expect, it } from 'vitest';
import { MAX_WORKER_NAME_LENGTH, OVERFLOW_WORKER, WorkerStats } from './worker-stats.js';

// A minute-aligned start so bucket boundaries are easy to reason about.
const T0 = 60_000 * 28_333_334;

function setup(maxWorkers = 100, hashesPerDifficulty = 1) {
  const clock = { now: T0 };
  const stats = new WorkerStats({
    maxWorkers,
    offlineTtlMs: 3_600_000,
    hashesPerDifficulty,
    now: () => clock.now,
  });
  return { clock, stats };
}

describe('WorkerStats records', () => {
  it('counts connections and shares per worker', () => {
    const { clock, stats } = setup();
    const a = stats.connect('rig1');
    const b = stats.connect('rig1');
    expect(a).toBe(b);
    expect(stats.online).toBe(1);
    clock.now += 1000;
    stats.share(a, 'accepted', 100);
    stats.share(a, 'accepted', 100);
    stats.share(a, 'rejected', 100);
    stats.share(a, 'invalid', 100);
    stats.share(a, 'stale', 100);
    expect(stats.get('rig1')).toMatchObject({
      name: 'rig1',
      connections: 2,
      accepted: 2,
      rejected: 1,
      invalid: 1,
      stale: 1,
      lastShareAt: T0 + 1000,
      firstSeenAt: T0,
      lastSeenAt: T0 + 1000,
    });
    expect(stats.get('nobody')).toBeUndefined();
  });

  it('goes offline at zero connections and revives with its counters', () => {
    const { clock, stats } = setup();
    const a = stats.connect('rig1');
    stats.share(a, 'accepted', 1);
    stats.connect('rig1');
    stats.disconnect(a);
    expect(stats.online).toBe(1);
    clock.now += 5000;
    stats.disconnect(a);
    expect(stats.online).toBe(0);
    expect(stats.get('rig1')).toMatchObject({ connections: 0, lastSeenAt: T0 + 5000 });
    stats.disconnect(a); // one too many: no negative counts
    expect(stats.get('rig1')?.connections).toBe(0);
    expect(stats.online).toBe(0);
    const again = stats.connect('rig1');
    expect(again).toBe(a);
    expect(stats.online).toBe(1);
    expect(stats.get('rig1')).toMatchObject({ connections: 1, accepted: 1, firstSeenAt: T0 });
  });

  it('omits lastShareAt before the first share', () => {
    const { stats } = setup();
    stats.connect('rig1');
    expect(stats.get('rig1')).not.toHaveProperty('lastShareAt');
  });

  it('cuts long names', () => {
    const { stats } = setup();
    const long = 'w'.repeat(10_000);
    const record = stats.connect(long);
    expect(record.name).toHaveLength(MAX_WORKER_NAME_LENGTH);
    expect(stats.connect(`${'w'.repeat(MAX_WORKER_NAME_LENGTH)}different-tail`)).toBe(record);
    expect(stats.get(long)?.connections).toBe(2);
    const emoji = stats.connect(`${'w'.repeat(MAX_WORKER_NAME_LENGTH - 1)}😀`);
    expect(emoji.name).toHaveLength(MAX_WORKER_NAME_LENGTH - 1);
  });
});

describe('WorkerStats hashrate', () => {
  it('divides a young worker by its age (at least 10 s)', () => {
    const { clock, stats } = setup();
    const w = stats.connect('rig1');
    clock.now = T0 + 5000;
    stats.share(w, 'accepted', 1000);
    clock.now = T0 + 10_000;
    expect(stats.get('rig1')).toMatchObject({
      hashrate1m: 100,
      hashrate10m: 100,
      hashrate1h: 100,
    });
    clock.now = T0 + 5000;
    expect(stats.get('rig1')?.hashrate1m).toBe(100); // not 1000/5 s
  });

  it('lets shares leave each window', () => {
    const { clock, stats } = setup();
    const w = stats.connect('rig1');
    clock.now = T0 + 5000;
    stats.share(w, 'accepted', 1200);
    clock.now = T0 + 120_000;
    let snap = stats.get('rig1');
    expect(snap?.hashrate1m).toBe(0);
    expect(snap?.hashrate10m).toBe(10); // 1200 / 120 s
    expect(snap?.hashrate1h).toBe(10);
    clock.now = T0 + 11 * 60_000;
    snap = stats.get('rig1');
    expect(snap?.hashrate10m).toBe(0);
    expect(snap?.hashrate1h).toBeCloseTo(1200 / 660, 10);
    clock.now = T0 + 61 * 60_000;
    expect(stats.get('rig1')?.hashrate1h).toBe(0);
  });

  it('estimates a steady rate in every window', () => {
    const { clock, stats } = setup(10, 2 ** 32);
    const w = stats.connect('rig1');
    // difficulty 6 every 10 s = 0.6 × 2^32 H/s
    for (let t = 10_000; t <= 2 * 3_600_000; t += 10_000) {
      clock.now = T0 + t;
      stats.share(w, 'accepted', 6);
    }
    clock.now += 5000;
    const expected = 0.6 * 2 ** 32;
    const snap = stats.get('rig1');
    for (const key of ['hashrate1m', 'hashrate10m', 'hashrate1h'] as const) {
      expect(snap?.[key]).toBeGreaterThan(expected * 0.9);
      expect(snap?.[key]).toBeLessThan(expected * 1.15);
    }
  });

  it('forgets old buckets after a long pause instead of reading stale ones', () => {
    const { clock, stats } = setup();
    const w = stats.connect('rig1');
    for (let i = 0; i < 60; i++) {
      clock.now = T0 + i * 60_000;
      stats.share(w, 'accepted', 1_000_000);
    }
    clock.now = T0 + 5 * 3_600_000 + 30_000;
    stats.share(w, 'accepted', 600);
    clock.now += 30_000;
    // Only the last share counts: 600 over 59 full minutes + 0 s of the current one.
    expect(stats.get('rig1')?.hashrate1h).toBeCloseTo(600 / (59 * 60), 10);
    expect(stats.get('rig1')?.hashrate10m).toBeCloseTo(600 / (9 * 60), 10);
  });

  it('counts only accepted, finite, positive difficulty', () => {
    const { clock, stats } = setup();
    const w = stats.connect('rig1');
    stats.share(w, 'rejected', 1000);
    stats.share(w, 'stale', 1000);
    stats.share(w, 'invalid', 1000);
    stats.share(w, 'accepted', Number.NaN);
    stats.share(w, 'accepted', Number.POSITIVE_INFINITY);
    stats.share(w, 'accepted', -5);
    clock.now += 30_000;
    expect(stats.get('rig1')).toMatchObject({ hashrate1m: 0, hashrate1h: 0, accepted: 3 });
  });
});

describe('WorkerStats bounds', () => {
  it('evicts the least recently active offline worker at the cap', () => {
    const { clock, stats } = setup(3);
    const a = stats.connect('a');
    const b = stats.connect('b');
    stats.connect('c');
    clock.now += 1;
    stats.disconnect(a);
    clock.now += 1;
    stats.disconnect(b);
    clock.now += 1;
    stats.share(a, 'accepted', 1); // a late result makes a more recent than b
    stats.connect('d');
    expect(stats.get('b')).toBeUndefined();
    expect(stats.get('a')).toBeDefined();
    expect(stats.size).toBe(3);
    expect(stats.folded).toBe(0);
  });

  it('folds new names into (other) when every worker is online', () => {
    const { stats } = setup(2);
    stats.connect('a');
    stats.connect('b');
    const x = stats.connect('x');
    const y = stats.connect('y');
    expect(x.name).toBe(OVERFLOW_WORKER);
    expect(y).toBe(x);
    expect(stats.folded).toBe(2);
    expect(stats.size).toBe(3);
    expect(stats.get(OVERFLOW_WORKER)?.connections).toBe(2);
    stats.share(x, 'accepted', 10);
    expect(stats.get(OVERFLOW_WORKER)?.accepted).toBe(1);
    expect(stats.get('x')).toBeUndefined();
    stats.disconnect(x);
    stats.disconnect(y);
    expect(stats.online).toBe(2);
  });

  it('does not waste an eviction on an offline (other)', () => {
    const { clock, stats } = setup(2);
    const a = stats.connect('a');
    stats.connect('b');
    const other = stats.connect('c');
    stats.disconnect(other);
    clock.now += 1;
    stats.disconnect(a);
    stats.connect('d');
    expect(stats.get('a')).toBeUndefined();
    expect(stats.get('d')?.connections).toBe(1);
    expect(stats.get(OVERFLOW_WORKER)).toBeDefined();
  });

  it('holds 100,000 distinct online names in 10,000 records plus (other)', () => {
    const { stats } = setup(10_000);
    for (let i = 0; i < 100_000; i++) stats.connect(`worker-${i}`);
    expect(stats.size).toBe(10_001);
    expect(stats.folded).toBe(90_000);
    expect(stats.get(OVERFLOW_WORKER)?.connections).toBe(90_000);
    expect(stats.online).toBe(10_001);
  });

  it('churns 100,000 distinct names through 10,000 records without folding', () => {
    const { clock, stats } = setup(10_000);
    for (let i = 0; i < 100_000; i++) {
      clock.now++;
      const record = stats.connect(`worker-${i}`);
      stats.share(record, 'accepted', 1);
      stats.disconnect(record);
    }
    expect(stats.size).toBe(10_000);
    expect(stats.folded).toBe(0);
    expect(stats.get('worker-99999')).toBeDefined();
    expect(stats.get('worker-89999')).toBeUndefined();
    expect(stats.list({ limit: 1 })[0]?.name).toBe('worker-99999');
  });

  it('sweeps offline workers past the TTL, never online ones', () => {
    const { clock, stats } = setup();
    const a = stats.connect('a');
    const b = stats.connect('b');
    stats.connect('online');
    stats.disconnect(a);
    clock.now += 1_800_000;
    stats.disconnect(b);
    clock.now += 1_800_000;
    expect(stats.sweep()).toBe(1);
    expect(stats.get('a')).toBeUndefined();
    expect(stats.get('b')).toBeDefined();
    clock.now += 10 * 3_600_000;
    expect(stats.sweep()).toBe(1);
    expect(stats.size).toBe(1);
    expect(stats.sweep()).toBe(0);
    // a stale handle is harmless after removal
    stats.share(a, 'accepted', 1);
    stats.disconnect(a);
    expect(stats.list().map((w) => w.name)).toEqual(['online']);
    expect(stats.online).toBe(1);
  });
});

describe('WorkerStats.list', () => {
  it('lists the most recently active first, with limit and offset', () => {
    const { clock, stats } = setup();
    const a = stats.connect('a');
    clock.now++;
    stats.connect('b');
    clock.now++;
    stats.connect('c');
    clock.now++;
    stats.share(a, 'accepted', 1);
    expect(stats.list().map((w) => w.name)).toEqual(['a', 'c', 'b']);
    expect(stats.list({ limit: 2 }).map((w) => w.name)).toEqual(['a', 'c']);
    expect(stats.list({ offset: 1, limit: 1 }).map((w) => w.name)).toEqual(['c']);
    expect(stats.list({ offset: 5 })).toEqual([]);
    expect(stats.list({ limit: 0 })).toEqual([]);
  });
});
