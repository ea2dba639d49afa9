import type { SessionRecord } from '@rigkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/storage.js';
import { FakeClock, T0, TARGET_KINDS, TestTarget } from '../test-support/test-target.js';

describe.each(TARGET_KINDS)('sessions() (%s)', (kind) => {
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

  it('records a run at start and updates it at end (same id: one row)', async () => {
    const start: SessionRecord = {
      id: 'run-1',
      minerId: 'rig',
      generation: 3,
      startedAt: T0,
      restartAttempt: 2,
      shares: { accepted: 0, rejected: 0 },
      samples: 0,
    };
    storage.recordSession(start);
    await storage.flush();
    expect(await storage.sessions('rig')).toEqual([start]);
    const end: SessionRecord = {
      ...start,
      endedAt: T0 + 5000,
      exitCode: null,
      signal: 'SIGKILL',
      endReason: 'probe-timeout',
      shares: { accepted: 12, rejected: 1 },
      avgHashrate: 1234.5,
      samples: 40,
    };
    storage.recordSession(end);
    await storage.flush();
    expect(await storage.sessions('rig')).toEqual(
      [{ ...end, exitCode: undefined }].map(withoutUndefined),
    );
  });

  it('pages newest first with limit and before', async () => {
    for (let i = 0; i < 25; i += 1) {
      storage.recordSession({
        id: `run-${i}`,
        minerId: 'rig',
        generation: i,
        startedAt: T0 + i * 1000,
        endedAt: T0 + i * 1000 + 500,
        endReason: 'restart',
        restartAttempt: i,
        shares: { accepted: 0, rejected: 0 },
        samples: 0,
      });
    }
    storage.recordSession({
      id: 'other',
      minerId: 'other-rig',
      generation: 0,
      startedAt: T0,
      restartAttempt: 0,
      shares: { accepted: 0, rejected: 0 },
      samples: 0,
    });
    await storage.flush();
    const seen: string[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await storage.sessions('rig', { limit: 10, before });
      seen.push(...page.map((session) => session.id));
      if (page.length < 10) break;
      before = page.at(-1)?.startedAt;
    }
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `run-${24 - i}`));
    await expect(storage.sessions('rig', { limit: 1001 })).rejects.toMatchObject({
      code: 'E_STORAGE_INVALID_QUERY',
    });
  });
});

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
