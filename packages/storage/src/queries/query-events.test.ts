import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/storage.js';
import { FakeClock, T0, TARGET_KINDS, TestTarget } from '../test-support/test-target.js';
import type { EventCursor } from './query-events.js';

describe.each(TARGET_KINDS)('events() (%s)', (kind) => {
  let target: TestTarget;
  let storage: Storage;

  beforeEach(async () => {
    target = new TestTarget(kind);
    storage = await new Storage(target.options({ now: new FakeClock(T0).now })).open();
  });
  afterEach(async () => {
    await storage.close();
    target.dispose();
  });

  it('pages newest first without skipping events that share a millisecond', async () => {
    for (let i = 0; i < 23; i += 1) {
      storage.recordEvent({
        minerId: 'rig',
        type: i % 2 === 0 ? 'miner.state' : 'miner.restart',
        time: T0 + Math.floor(i / 5), // five events per millisecond
        data: { i },
      });
    }
    await storage.flush();
    const seen: number[] = [];
    let before: EventCursor | undefined;
    for (;;) {
      const page = await storage.events('rig', { limit: 4, before });
      seen.push(...page.map((event) => event.data.i as number));
      const last = page.at(-1);
      if (last === undefined) break;
      before = { time: last.time, id: last.id };
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    const restarts = await storage.events('rig', { type: 'miner.restart', limit: 100 });
    expect(restarts).toHaveLength(11);
    expect(restarts[0]).toMatchObject({ minerId: 'rig', type: 'miner.restart' });
  });

  it('bounds stored event data and refuses invalid events without throwing', async () => {
    storage.recordEvent({
      minerId: 'rig',
      type: 'big',
      time: T0,
      data: { blob: 'x'.repeat(10_000) },
    });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    storage.recordEvent({ minerId: 'rig', type: 'odd', time: T0, data: circular });
    storage.recordEvent({ minerId: 'bad id', type: 'x', time: T0, data: {} });
    storage.recordEvent({ minerId: 'rig', type: '', time: T0, data: {} });
    storage.recordEvent({ minerId: 'rig', type: 'x', time: Number.NaN, data: {} });
    await storage.flush();
    const events = await storage.events('rig');
    expect(events.map((event) => event.data)).toEqual(
      expect.arrayContaining([{ truncated: true, bytes: 10_011 }, { unserializable: true }]),
    );
    expect(storage.stats().rejected).toBe(3);
  });
});
