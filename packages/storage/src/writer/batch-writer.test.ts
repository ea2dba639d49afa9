import type { SessionRecord } from '@rigkit/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StorageError } from '../errors/storage-error.js';
import { BatchWriter, type EventRow, type WriteBatch } from './batch-writer.js';

/** A sink that records batches and can be told to fail or to stall (a hung disk). */
class FakeSink {
  batches: WriteBatch[] = [];
  mode: 'ok' | 'fail' | 'stall' = 'ok';
  #stalled: Array<() => void> = [];
  readonly write = (batch: WriteBatch): Promise<void> => {
    if (this.mode === 'fail') {
      return Promise.reject(
        Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }),
      );
    }
    if (this.mode === 'stall') {
      return new Promise((resolve) => {
        this.#stalled.push(() => {
          this.batches.push(batch);
          resolve();
        });
      });
    }
    this.batches.push(batch);
    return Promise.resolve();
  };
  release(): void {
    this.mode = 'ok';
    for (const resume of this.#stalled.splice(0)) resume();
  }
  get samples(): number[] {
    return this.batches.flatMap((batch) => [...batch.samples.times]);
  }
}

function session(id: string, endedAt?: number): SessionRecord {
  return {
    id,
    minerId: 'm1',
    generation: 1,
    startedAt: 1,
    ...(endedAt === undefined ? {} : { endedAt, endReason: 'stopped' as const }),
    restartAttempt: 0,
    shares: { accepted: 0, rejected: 0 },
    samples: 0,
  };
}

function event(i: number): EventRow {
  return { id: `e${i}`, minerId: 'm1', type: 'miner.state', time: i, data: '{}' };
}

/** Awaits `promise` while running the fake timers it waits on (the yields between batches). */
async function settle<T>(promise: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return promise;
}

function push(writer: BatchWriter, from: number, count: number): void {
  for (let i = from; i < from + count; i += 1) writer.enqueueSample('m1', i, 1000, 0, 0);
}

describe('BatchWriter', () => {
  let sink: FakeSink;
  let errors: StorageError[];
  let writer: BatchWriter;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate'] });
    sink = new FakeSink();
    errors = [];
    writer = new BatchWriter(
      sink.write,
      { flushIntervalMs: 1000, flushRows: 500, maxQueue: 2000, maxBatchRows: 1000 },
      (error) => errors.push(error),
    );
  });

  afterEach(async () => {
    sink.release();
    await settle(writer.close({ write: false }));
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
  });

  it('only queues until started', async () => {
    push(writer, 0, 600);
    await vi.advanceTimersByTimeAsync(5000);
    expect(sink.batches).toHaveLength(0);
    expect(writer.stats().queued).toBe(600);
  });

  it('flushes as soon as flushRows samples are queued', async () => {
    writer.start();
    push(writer, 0, 499);
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.batches).toHaveLength(0);
    push(writer, 499, 1);
    await vi.advanceTimersByTimeAsync(0);
    expect(sink.batches).toHaveLength(1);
    expect(sink.batches[0]?.samples.length).toBe(500);
    expect(writer.stats()).toMatchObject({ queued: 0, written: 500, flushes: 1, writable: true });
  });

  it('flushes a partial queue every flushIntervalMs, and not before', async () => {
    writer.start();
    push(writer, 0, 10);
    await vi.advanceTimersByTimeAsync(999);
    expect(sink.batches).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(sink.samples).toHaveLength(10);
    expect(vi.getTimerCount()).toBe(0); // nothing queued: no timer left ticking
  });

  it('keeps the queue bounded while the disk stalls, dropping and counting the oldest rows', async () => {
    writer.start();
    sink.mode = 'stall';
    push(writer, 0, 500);
    await vi.advanceTimersByTimeAsync(0); // a transaction of 500 is now hung
    push(writer, 500, 10_000);
    const stats = writer.stats();
    expect(stats.samples.queued).toBe(2000);
    expect(stats.samples.dropped).toBe(8000);
    sink.release();
    await settle(writer.flush());
    // The hung batch, then only the newest 2000 rows.
    expect(sink.samples.slice(0, 3)).toEqual([0, 1, 2]);
    expect(sink.samples.slice(500)).toEqual(Array.from({ length: 2000 }, (_, i) => 8500 + i));
    expect(writer.stats().samples).toEqual({ queued: 0, dropped: 8000, written: 2500 });
  });

  it('counts failed writes, keeps the rows, and retries with backoff until the disk recovers', async () => {
    writer.start();
    sink.mode = 'fail';
    push(writer, 0, 500);
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.stats()).toMatchObject({
      errors: 1,
      lastError: 'E_STORAGE_WRITE',
      writable: false,
      queued: 500,
      written: 0,
    });
    expect(errors[0]).toBeInstanceOf(StorageError);
    expect(errors[0]?.details).toMatchObject({ sqliteCode: 'SQLITE_FULL' });

    push(writer, 500, 500); // no immediate retry while failing
    await vi.advanceTimersByTimeAsync(1999);
    expect(writer.stats().errors).toBe(1);
    await vi.advanceTimersByTimeAsync(1); // 1 s × 2^1
    expect(writer.stats().errors).toBe(2);
    await vi.advanceTimersByTimeAsync(4000); // 1 s × 2^2
    expect(writer.stats().errors).toBe(3);

    sink.mode = 'ok';
    await vi.advanceTimersByTimeAsync(8000);
    expect(sink.samples).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(writer.stats()).toMatchObject({ writable: true, queued: 0, written: 1000, errors: 3 });
  });

  it('rejects flush() with E_STORAGE_WRITE and keeps the rows queued', async () => {
    writer.start();
    sink.mode = 'fail';
    push(writer, 0, 10);
    await expect(writer.flush()).rejects.toMatchObject({ code: 'E_STORAGE_WRITE' });
    expect(writer.stats().samples.queued).toBe(10);
  });

  it('writes in transactions of at most maxBatchRows', async () => {
    push(writer, 0, 1800);
    await settle(writer.flush());
    expect(sink.batches.map((batch) => batch.samples.length)).toEqual([1000, 800]);
  });

  it('coalesces a session start and end into one upsert, and bounds every queue', async () => {
    const small = new BatchWriter(sink.write, { maxSessionQueue: 2, maxEventQueue: 3 });
    small.enqueueSession(session('a'));
    small.enqueueSession(session('a', 5));
    small.enqueueSession(session('b'));
    small.enqueueSession(session('c'));
    for (let i = 0; i < 5; i += 1) small.enqueueEvent(event(i));
    expect(small.stats().sessions).toMatchObject({ queued: 2, dropped: 1 });
    expect(small.stats().events).toMatchObject({ queued: 3, dropped: 2 });
    await small.flush();
    expect(sink.batches[0]?.sessions.map((s) => s.id)).toEqual(['b', 'c']);
    expect(sink.batches[0]?.events.map((e) => e.id)).toEqual(['e2', 'e3', 'e4']);
    await small.close();

    const coalescing = new BatchWriter(sink.write);
    coalescing.enqueueSession(session('x'));
    coalescing.enqueueSession(session('x', 9));
    await coalescing.close();
    expect(sink.batches[1]?.sessions).toEqual([session('x', 9)]);
  });

  it('writes everything on close and refuses rows afterwards', async () => {
    writer.start();
    push(writer, 0, 10);
    writer.enqueueEvent(event(1));
    await writer.close();
    expect(sink.samples).toHaveLength(10);
    expect(writer.stats().events.written).toBe(1);
    push(writer, 10, 3);
    writer.enqueueSession(session('late'));
    expect(writer.stats()).toMatchObject({ rejected: 4, queued: 0 });
  });

  it('still completes close when the final write fails, counting the rows as dropped', async () => {
    writer.start();
    sink.mode = 'fail';
    push(writer, 0, 10);
    writer.enqueueSession(session('s'));
    await expect(writer.close()).resolves.toBeUndefined();
    expect(writer.stats()).toMatchObject({ queued: 0, dropped: 11, written: 0 });
    expect(errors).toHaveLength(1);
  });
});
