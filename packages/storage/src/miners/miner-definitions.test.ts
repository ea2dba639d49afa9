import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Storage } from '../storage/storage.js';
import { FakeClock, T0, TARGET_KINDS, TestTarget } from '../test-support/test-target.js';

describe.each(TARGET_KINDS)('miner definitions (%s)', (kind) => {
  let target: TestTarget;
  let clock: FakeClock;
  let storage: Storage;

  beforeEach(async () => {
    target = new TestTarget(kind);
    clock = new FakeClock(T0);
    storage = await new Storage(target.options({ now: clock.now })).open();
  });
  afterEach(async () => {
    await storage.close();
    target.dispose();
  });

  it('upserts, reads back and lists miners by id with paging', async () => {
    const saved = await storage.upsertMiner({
      id: 'rig-b',
      name: 'Rig B',
      kind: 'xmrig',
      options: { pool: 'pool.example:3333', password: 'p00l-secret' },
      autostart: true,
      supervision: { maxRestarts: 3 },
    });
    expect(saved).toEqual({
      id: 'rig-b',
      name: 'Rig B',
      kind: 'xmrig',
      options: { pool: 'pool.example:3333', password: 'p00l-secret' },
      autostart: true,
      supervision: { maxRestarts: 3 },
      createdAt: T0,
      updatedAt: T0,
    });
    clock.advance(1000);
    await storage.upsertMiner({ id: 'rig-b', name: 'Rig B2', kind: 'xmrig', options: {} });
    expect(await storage.getMiner('rig-b')).toMatchObject({
      name: 'Rig B2',
      autostart: false,
      supervision: undefined,
      createdAt: T0,
      updatedAt: T0 + 1000,
    });
    for (const id of ['rig-a', 'rig-c', 'rig-d']) {
      await storage.upsertMiner({ id, name: id, kind: 'ttminer', options: {} });
    }
    const first = await storage.listMiners({ limit: 2 });
    expect(first.map((m) => m.id)).toEqual(['rig-a', 'rig-b']);
    const second = await storage.listMiners({ limit: 2, after: first.at(-1)?.id });
    expect(second.map((m) => m.id)).toEqual(['rig-c', 'rig-d']);
    expect(await storage.getMiner('missing')).toBeUndefined();
    expect(await storage.getMiner('not an id')).toBeUndefined();
  });

  it('removes by marking: options wiped, history kept, the id can come back', async () => {
    await storage.upsertMiner({
      id: 'rig',
      name: 'Rig',
      kind: 'xmrig',
      options: { password: 'p' },
    });
    storage.writeSample('rig', { time: T0, hashrate: 5 });
    await storage.flush();
    clock.advance(1000);
    expect(await storage.removeMiner('rig')).toBe(true);
    expect(await storage.removeMiner('rig')).toBe(false);
    expect(await storage.getMiner('rig')).toBeUndefined();
    expect(await storage.listMiners()).toEqual([]);
    const row = target.handle().prepare('select options, removed_at from miners').get();
    expect(row).toEqual({ options: '{}', removed_at: T0 + 1000 });
    expect((await storage.history('rig', T0, T0 + 1000)).points).toHaveLength(1);
    await storage.upsertMiner({ id: 'rig', name: 'Rig again', kind: 'xmrig', options: {} });
    expect(await storage.getMiner('rig')).toMatchObject({ name: 'Rig again' });
  });

  it('rejects invalid definitions naming the field, never the options', async () => {
    const secret = 'do-not-print-me';
    const cyclic: Record<string, unknown> = { password: secret };
    cyclic.self = cyclic;
    const cases = [
      [{ id: 'bad id', name: 'x', kind: 'xmrig', options: {} }, undefined],
      [{ id: 'ok', name: '', kind: 'xmrig', options: {} }, 'name'],
      [{ id: 'ok', name: 'x', kind: 'not a kind!', options: {} }, 'kind'],
      [{ id: 'ok', name: 'x', kind: 'xmrig', options: cyclic }, 'options'],
      [
        {
          id: 'ok',
          name: 'x',
          kind: 'xmrig',
          options: { password: secret, big: 'x'.repeat(70_000) },
        },
        'options',
      ],
      [{ id: 'ok', name: 'x', kind: 'xmrig', options: {}, autostart: 'yes' }, 'autostart'],
    ] as const;
    for (const [input, field] of cases) {
      const error = await storage
        .upsertMiner(input as unknown as Parameters<Storage['upsertMiner']>[0])
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'E_STORAGE_INVALID_INPUT' });
      if (field !== undefined)
        expect((error as { details: unknown }).details).toMatchObject({ field });
      expect(JSON.stringify(error)).not.toContain(secret);
      expect(String(error)).not.toContain(secret);
    }
  });
});
