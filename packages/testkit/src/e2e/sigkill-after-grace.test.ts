import { describe, expect, it } from 'vitest';
import { waitForEvent } from '../conformance/wait-for-event.js';
import { isProcessAlive, waitForProcessExit } from '../process/process-alive.js';
import { withManager } from './e2e-manager.js';

const GRACE_MS = 300;

describe('stopping a miner (real processes)', () => {
  it('SIGKILLs a miner that ignores SIGTERM once the grace period is over', async () => {
    await withManager(
      async (manager) => {
        const miner = await manager.create({
          kind: 'fake-process',
          name: 'stubborn',
          options: { ignoreSigterm: true },
        });
        const ignored = waitForEvent(
          manager.events,
          'miner.log',
          (e) => e.minerId === miner.id && e.entry.text === 'ignoring SIGTERM',
        );
        const ended = waitForEvent(
          manager.events,
          'miner.session',
          (e) => e.minerId === miner.id && e.phase === 'end',
        );
        await miner.start();
        const pid = miner.info().pid as number;

        const began = performance.now();
        await miner.stop();
        const took = performance.now() - began;

        await ignored; // it did get SIGTERM first, and stayed
        expect(took).toBeGreaterThanOrEqual(GRACE_MS - 5);
        expect(took).toBeLessThan(GRACE_MS + 3000);
        expect(miner.state).toBe('stopped');
        expect(miner.info().lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
        expect((await ended).session).toMatchObject({ endReason: 'stopped', signal: 'SIGKILL' });
        expect(isProcessAlive(pid)).toBe(false);
      },
      { supervision: { stopGraceMs: GRACE_MS } },
    );
  });

  it('stops a miner that honours SIGTERM without waiting for the grace period', async () => {
    await withManager(
      async (manager) => {
        const miner = await manager.create({ kind: 'fake-process', name: 'polite' });
        await miner.start();
        const began = performance.now();
        await miner.stop();
        expect(performance.now() - began).toBeLessThan(5000);
        expect(miner.info().lastExit).toMatchObject({ code: 0, signal: null });
      },
      // A grace period far longer than the test timeout: reaching it would fail the test.
      { supervision: { stopGraceMs: 60_000 } },
    );
  });

  it('takes the whole process group down: the grandchild is gone after stop', async () => {
    await withManager(async (manager) => {
      const miner = await manager.create({
        kind: 'fake-process',
        name: 'parent',
        options: { spawnChild: true },
      });
      const childLine = waitForEvent(
        manager.events,
        'miner.log',
        (e) => e.minerId === miner.id && e.event?.type === 'child',
      );
      await miner.start();
      const grandchild = (await childLine).event?.data?.pid as number;
      try {
        expect(isProcessAlive(grandchild)).toBe(true);
        await miner.stop();
        expect(await waitForProcessExit(grandchild, 5000)).toBe(true);
      } finally {
        killQuietly(grandchild); // never leave it behind, even when the test fails
      }
    });
  });
});

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone: the expected case.
  }
}
