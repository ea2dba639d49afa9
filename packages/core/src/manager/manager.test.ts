import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { defineAdapter } from '../adapter/define-adapter.js';
import type { Sample } from '../adapter/sample.js';
import { fakeAdapter } from '../testing/fake-launcher.js';
import { harness } from '../testing/harness.js';
import { createManager } from './manager.js';

describe('Manager', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('validates options with the adapter schema and reports every issue by path', async () => {
    const { manager } = harness();
    const error = await manager
      .create({ kind: 'fake', name: 'a', options: { threads: -1, pass: 7 } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_CONFIG_INVALID' });
    const paths = (error as { issues: { path: string }[] }).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['pass', 'threads']);
    // The rejected value never shows up in the message (it could be a password).
    await expect(
      manager.create({ kind: 'fake', name: 'a', options: { pass: 123456789 } }),
    ).rejects.not.toThrow(/123456789/);
    await manager.close();
  });

  it('refuses unknown kinds, bad ids and names, duplicates and too many miners', async () => {
    const { manager } = harness({ maxMiners: 2 });
    await expect(manager.create({ kind: 'nope', name: 'a' })).rejects.toMatchObject({
      code: 'E_ADAPTER_NOT_FOUND',
    });
    await expect(manager.create({ kind: 'fake', name: 'a', id: '../etc' })).rejects.toMatchObject({
      code: 'E_CONFIG_INVALID',
    });
    await expect(manager.create({ kind: 'fake', name: '  ' })).rejects.toMatchObject({
      code: 'E_CONFIG_INVALID',
    });
    await manager.create({ kind: 'fake', name: 'a', id: 'one' });
    await expect(manager.create({ kind: 'fake', name: 'b', id: 'one' })).rejects.toMatchObject({
      code: 'E_MINER_EXISTS',
    });
    await manager.create({ kind: 'fake', name: 'b' });
    await expect(manager.create({ kind: 'fake', name: 'c' })).rejects.toMatchObject({
      code: 'E_MINER_LIMIT',
    });
    expect(manager.list()).toHaveLength(2);
    await manager.close();
  });

  it('checks adapters at registration: contract version and core range', () => {
    const base = fakeAdapter({ probe: 'ok', hashrate: 1, stats: 'ok' });
    const make = (adapter: unknown) => () =>
      createManager({
        adapters: [adapter as typeof base],
        dataDir: '/nonexistent',
        monitor: false,
      });
    expect(make({ ...base, apiVersion: 2 })).toThrow(
      expect.objectContaining({ code: 'E_ADAPTER_INCOMPATIBLE' }),
    );
    expect(make({ ...base, meta: { ...base.meta, core: '^9.0.0' } })).toThrow(
      /needs @rigkit\/core \^9\.0\.0, but 0\.\d+\.\d+ is installed/,
    );
    expect(make({ ...base, runner: () => ({}) })).toThrow(
      expect.objectContaining({ code: 'E_ADAPTER_INVALID' }),
    );
    expect(make({ ...base, options: {} })).toThrow(/Standard Schema/);
    expect(make({ ...base, kind: 'Bad Kind' })).toThrow(
      expect.objectContaining({ code: 'E_ADAPTER_INVALID' }),
    );
    expect(() =>
      createManager({ adapters: [base, base], dataDir: '/nonexistent', monitor: false }),
    ).toThrow(/already registered/);
  });

  it('layers supervision: adapter suggestion < manager setting < miner setting', async () => {
    const { manager } = harness({ supervision: { probeIntervalMs: 2000 } });
    const byAdapter = await manager.create({ kind: 'fake', name: 'a' });
    expect(byAdapter.supervision.warmupMs).toBe(0); // harness's manager-wide 0 beats the adapter's 123456
    expect(byAdapter.supervision.probeIntervalMs).toBe(2000);
    const own = await manager.create({
      kind: 'fake',
      name: 'b',
      supervision: { probeIntervalMs: 50 },
    });
    expect(own.supervision.probeIntervalMs).toBe(50);
    await manager.close();
  });

  it('get/find/remove: a removed miner is stopped and gone', async () => {
    const { manager, launcher } = harness();
    const miner = await manager.create({ kind: 'fake', name: 'a', id: 'x1' });
    await miner.start();
    expect(manager.get('x1')).toBe(miner);
    await manager.remove('x1');
    expect(launcher.live()).toHaveLength(0);
    expect(manager.find('x1')).toBeUndefined();
    expect(() => manager.get('x1')).toThrow(expect.objectContaining({ code: 'E_MINER_NOT_FOUND' }));
    await expect(miner.start()).rejects.toMatchObject({ code: 'E_MINER_NOT_FOUND' });
    await manager.close();
  });

  it('startAll/stopAll run miners concurrently; one failure does not stop the others', async () => {
    const { manager, launcher } = harness();
    for (const id of ['a', 'b', 'c']) await manager.create({ kind: 'fake', name: id, id });
    launcher.failNext = 1;
    const results = await manager.startAll();
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    await manager.stopAll();
    expect(
      manager
        .list()
        .map((m) => m.state)
        .sort(),
    ).toEqual(['stopped', 'stopped', 'stopped']);
    expect(launcher.live()).toHaveLength(0);
    await manager.close();
  });

  it('one hung miner never delays another in a stats tick', async () => {
    const hang = { probe: 'ok' as const, hashrate: 5, stats: 'hang' as const };
    const slowAdapter = { ...fakeAdapter(hang), kind: 'slow' };
    const { manager } = harness({
      adapters: [fakeAdapter({ probe: 'ok', hashrate: 7, stats: 'ok' }), slowAdapter],
      sampleTimeoutMs: 3000,
    });
    const fast = await manager.create({ kind: 'fake', name: 'fast' });
    const slow = await manager.create({ kind: 'slow', name: 'slow' });
    await manager.startAll();
    const seen: Array<[string, number]> = [];
    manager.events.on('miner.sample', (e) => seen.push([e.minerId, Date.now()]));
    const errors: string[] = [];
    manager.events.on('miner.sample.error', (e) => errors.push(`${e.minerId}:${e.code}`));
    const t0 = Date.now();
    const tick = manager.sampleAll();
    await vi.advanceTimersByTimeAsync(0);
    expect(seen).toEqual([[fast.id, t0]]); // answered at once, not after the slow one's deadline
    await vi.advanceTimersByTimeAsync(3000);
    await tick;
    expect(errors).toEqual([`${slow.id}:E_API_TIMEOUT`]);
    await manager.close();
  });

  it('samples on its interval once started and trims histories', async () => {
    const { manager } = harness({ sampleIntervalMs: 10_000 });
    const miner = await manager.create({ kind: 'fake', name: 'a' });
    await miner.start();
    const samples: Sample[] = [];
    miner.on('miner.sample', (e) => samples.push(e.sample));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(samples).toHaveLength(6);
    expect(miner.history.query({ resolution: 'high' })).toHaveLength(6);
    await manager.close();
  });

  it('close() stops every miner and leaves no timer and no listener', async () => {
    const { manager, launcher } = harness({ sampleIntervalMs: 10_000 });
    for (const id of ['a', 'b']) await manager.create({ kind: 'fake', name: id, id });
    await manager.startAll();
    launcher.processes[0]?.crash();
    await vi.advanceTimersByTimeAsync(0); // a is in backoff with a pending restart timer
    manager.get('b').on('miner.state', () => {});
    expect(vi.getTimerCount()).toBeGreaterThan(0);
    await manager.close();
    expect(launcher.live()).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(manager.events.listenerCount()).toBe(0);
    await expect(manager.create({ kind: 'fake', name: 'z' })).rejects.toMatchObject({
      code: 'E_MANAGER_CLOSED',
    });
    await manager.close(); // idempotent
  });

  it('runs in-process runners (runner()) through the same lifecycle', async () => {
    const calls: string[] = [];
    let fail!: (e: Error) => void;
    const runnerAdapter = defineAdapter({
      apiVersion: 1,
      kind: 'proxy',
      meta: { name: 'proxy', version: '1.0.0', core: '*' },
      options: z.object({}),
      runner: () => ({
        start: async () => {
          calls.push('start');
        },
        stop: async () => {
          calls.push('stop');
        },
        done: new Promise<void>((_, reject) => {
          fail = reject;
        }),
      }),
      probe: async () => ({ healthy: true }),
    });
    const { manager } = harness({ adapters: [runnerAdapter] });
    const miner = await manager.create({ kind: 'proxy', name: 'p' });
    await miner.start();
    await miner.stop();
    await miner.start();
    const restart = new Promise((resolve) => miner.on('miner.restart', resolve));
    fail(new Error('listener died'));
    expect(await restart).toMatchObject({ reason: 'exit' });
    expect(calls).toEqual(['start', 'stop', 'start']);
    await manager.close();
  });

  it('publishes adapter events (ctx.emit) with the miner id, and drops them after the run', async () => {
    let emitLater: (() => void) | undefined;
    const runnerAdapter = defineAdapter({
      apiVersion: 1,
      kind: 'proxy',
      meta: { name: 'proxy', version: '1.0.0', core: '*' },
      options: z.object({}),
      runner: (_options, ctx) => ({
        start: async () => {
          ctx.emit('proxy.worker.connected', {
            worker: 'rig-1',
            address: '10.0.0.7',
            connectionId: 1,
          });
          emitLater = () =>
            ctx.emit('proxy.upstream.up', { upstreamId: 1, pool: 'pool.example:3333' });
        },
        stop: async () => {},
      }),
      probe: async () => ({ healthy: true }),
    });
    const { manager } = harness({ adapters: [runnerAdapter] });
    const miner = await manager.create({ kind: 'proxy', name: 'p' });
    const seen: unknown[] = [];
    const offWorker = manager.events.on('proxy.worker.connected', (event) => seen.push(event));
    const offUpstream = manager.events.on('proxy.upstream.up', (event) => seen.push(event));
    await miner.start();
    expect(seen).toEqual([
      {
        minerId: miner.id,
        worker: 'rig-1',
        address: '10.0.0.7',
        connectionId: 1,
        time: expect.any(Number),
      },
    ]);
    await miner.stop();
    emitLater?.(); // a runner that outlives its run cannot speak for the miner any more
    expect(seen).toHaveLength(1);
    offWorker();
    offUpstream();
    await manager.close();
  });
});
