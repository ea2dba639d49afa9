import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StorageError } from '../errors/storage-error.js';
import {
  FakeClock,
  leftAbove,
  resourceSnapshot,
  T0,
  TARGET_KINDS,
  TestTarget,
  trackHandles,
} from '../test-support/test-target.js';
import { createStorage } from './create-storage.js';
import { Storage } from './storage.js';

const HOUR = 3_600_000;

describe.each(TARGET_KINDS)('Storage (%s)', (kind) => {
  let target: TestTarget;
  let clock: FakeClock;

  beforeEach(() => {
    target = new TestTarget(kind);
    clock = new FakeClock(T0 + HOUR);
  });
  afterEach(() => {
    vi.useRealTimers();
    target.dispose();
  });

  it('is a HistorySink: samples, sessions and events end up queryable', async () => {
    const storage = await createStorage(target.options({ now: clock.now }));
    storage.recordSession({
      id: 'run-1',
      minerId: 'rig',
      generation: 1,
      startedAt: T0,
      restartAttempt: 0,
      shares: { accepted: 0, rejected: 0 },
      samples: 0,
    });
    for (let i = 0; i < 100; i += 1) {
      storage.writeSample('rig', {
        time: T0 + i * 10_000,
        hashrate: 500,
        shares: { accepted: i * 2, rejected: 0 },
      });
    }
    storage.recordEvent({
      minerId: 'rig',
      type: 'miner.state',
      time: T0,
      data: { from: 'starting', to: 'running' },
    });
    await storage.flush();
    expect(storage.stats()).toMatchObject({
      queued: 0,
      written: 102,
      dropped: 0,
      rejected: 0,
      errors: 0,
      writable: true,
      samples: { written: 100 },
    });
    const history = await storage.history('rig', T0, T0 + HOUR);
    expect(history.points).toHaveLength(100);
    expect(history.points.reduce((sum, p) => sum + p.accepted, 0)).toBe(198);
    expect(await storage.sessions('rig')).toHaveLength(1);
    expect((await storage.events('rig'))[0]?.data).toEqual({ from: 'starting', to: 'running' });
    await storage.close();
  });

  it('refuses invalid sink input without throwing, and counts it', async () => {
    const storage = await createStorage(target.options({ now: clock.now }));
    const bad: Array<() => void> = [
      () => storage.writeSample('no spaces allowed', { time: T0, hashrate: 1 }),
      () => storage.writeSample('rig', { time: Number.NaN, hashrate: 1 }),
      () => storage.writeSample('rig', { time: clock.time - 49 * HOUR, hashrate: 1 }), // older than raw retention
      () => storage.writeSample('rig', null as never),
      () => storage.recordSession({ id: '', minerId: 'rig' } as never),
      () => storage.recordEvent(undefined as never),
    ];
    for (const call of bad) expect(call).not.toThrow();
    // Odd values inside a valid sample are kept as unknown, not refused.
    storage.writeSample('rig', {
      time: T0,
      hashrate: Number.POSITIVE_INFINITY,
      shares: { accepted: -1, rejected: 0 },
    });
    await storage.flush();
    expect(storage.stats()).toMatchObject({ rejected: 6, samples: { written: 1 } });
    expect((await storage.history('rig', T0, T0 + 1000)).points[0]).toMatchObject({
      hashrate: null,
      accepted: 0,
    });
    await storage.close();
  });

  it('queues before open, writes on close, and refuses everything after close', async () => {
    const storage = new Storage(target.options({ now: clock.now }));
    storage.writeSample('rig', { time: T0, hashrate: 1 });
    await expect(storage.history('rig', T0, T0 + 1)).rejects.toMatchObject({
      code: 'E_STORAGE_CLOSED',
      message: expect.stringContaining('not open'),
    });
    await storage.open();
    storage.writeSample('rig', { time: T0 + 10_000, hashrate: 2 });
    await storage.close();
    await storage.close(); // idempotent

    await expect(storage.history('rig', T0, T0 + HOUR)).rejects.toMatchObject({
      code: 'E_STORAGE_CLOSED',
    });
    await expect(storage.flush()).rejects.toMatchObject({ code: 'E_STORAGE_CLOSED' });
    await expect(storage.runMaintenance()).rejects.toMatchObject({ code: 'E_STORAGE_CLOSED' });
    await expect(storage.open()).rejects.toMatchObject({ code: 'E_STORAGE_CLOSED' });
    storage.writeSample('rig', { time: T0 + 20_000, hashrate: 3 });
    expect(storage.stats().rejected).toBe(1);

    const reopened = await createStorage(target.options({ now: clock.now }));
    expect((await reopened.history('rig', T0, T0 + HOUR)).points.map((p) => p.hashrate)).toEqual([
      1, 2,
    ]);
    await reopened[Symbol.asyncDispose]();
  });

  it('releases every timer and handle on close (back to the baseline)', async () => {
    const baseline = resourceSnapshot();
    const handles = trackHandles();
    {
      await using storage = await createStorage({
        ...target.options({ now: clock.now }),
        maintenance: { enabled: true, rollupIntervalMs: 10, retentionIntervalMs: 20 },
      });
      for (let i = 0; i < 1200; i += 1)
        storage.writeSample(`rig-${i % 4}`, { time: T0 + i * 1000, hashrate: i });
      await vi.waitFor(() => expect(storage.stats().maintenance.runs).toBeGreaterThanOrEqual(2));
      storage.writeSample('rig', { time: T0, hashrate: 1 }); // arms a flush timer, still pending
      expect(storage.stats().queued).toBe(1);
      expect(handles.alive().Timeout).toBeGreaterThanOrEqual(1); // the check can see timers
    }
    handles.pause();
    expect(await leftAbove(baseline)).toEqual({});
    // Destroy hooks run a turn after clearTimeout: settle, then nothing we created may live on.
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(handles.alive()).toEqual({});
    handles.stop();
  });

  it('leaves nothing open when opening fails', async () => {
    target.handle().exec('create table someone_elses (x)');
    const baseline = resourceSnapshot();
    await expect(createStorage(target.options())).rejects.toMatchObject({
      code: 'E_STORAGE_FOREIGN',
    });
    expect(await leftAbove(baseline)).toEqual({});
  });

  it('keeps serving reads and stays bounded when writes fail, then recovers', async () => {
    const errors: StorageError[] = [];
    const { options, handle } = target.withHandle({
      now: clock.now,
      writer: { maxQueue: 1000, flushIntervalMs: 1000 },
      onError: (error) => errors.push(error),
    });
    const storage = await createStorage(options);
    storage.writeSample('rig', { time: T0, hashrate: 7 });
    await storage.flush();

    handle.pragma('query_only = ON'); // every write now fails, like a read-only or full disk
    for (let i = 1; i <= 5000; i += 1)
      storage.writeSample('rig', { time: T0 + i * 100, hashrate: i });
    await expect(storage.flush()).rejects.toMatchObject({
      code: 'E_STORAGE_WRITE',
      file: target.path,
    });
    await expect(storage.runMaintenance()).rejects.toMatchObject({ code: 'E_STORAGE_WRITE' });
    await expect(
      storage.upsertMiner({ id: 'x', name: 'x', kind: 'xmrig', options: {} }),
    ).rejects.toMatchObject({
      code: 'E_STORAGE_WRITE',
    });
    const failing = storage.stats();
    expect(failing).toMatchObject({
      writable: false,
      lastError: 'E_STORAGE_WRITE',
      samples: { queued: 1000 },
    });
    expect(failing.samples.dropped).toBe(4000);
    expect(failing.errors).toBeGreaterThanOrEqual(1);
    expect(failing.maintenance).toMatchObject({ errors: 1, lastError: 'E_STORAGE_WRITE' });
    expect(errors.length).toBeGreaterThanOrEqual(1);
    // Reads still work.
    expect((await storage.history('rig', T0, T0 + 1)).points).toEqual([
      expect.objectContaining({ hashrate: 7 }),
    ]);

    handle.pragma('query_only = OFF');
    await storage.flush();
    expect(storage.stats()).toMatchObject({
      writable: true,
      queued: 0,
      samples: { written: 1001 },
    });
    await storage.close();
  });

  it('closes cleanly even when the database handle is gone under it', async () => {
    const { options, handle } = target.withHandle({ now: clock.now });
    const storage = await createStorage(options);
    storage.writeSample('rig', { time: T0, hashrate: 1 });
    handle.close();
    await expect(storage.flush()).rejects.toMatchObject({ code: 'E_STORAGE_WRITE' });
    await expect(storage.close()).resolves.toBeUndefined();
    expect(storage.stats()).toMatchObject({ queued: 0, dropped: 1 });
  });

  it('flushes every flushIntervalMs and rolls up every rollupIntervalMs on its own timers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const storage = await createStorage({
      ...target.options({ now: clock.now }),
      maintenance: { enabled: true, rollupIntervalMs: 60_000 },
    });
    for (let i = 0; i < 12; i += 1)
      storage.writeSample('rig', { time: T0 + i * 10_000, hashrate: 100 });
    await vi.advanceTimersByTimeAsync(999);
    expect(storage.stats().written).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(storage.stats().written).toBe(12));

    await vi.advanceTimersByTimeAsync(59_000);
    await vi.waitFor(() => expect(storage.stats().maintenance.runs).toBe(1));
    expect(storage.stats().maintenance.watermarks.minute).toBe(T0 + HOUR - 60_000);
    await storage.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
