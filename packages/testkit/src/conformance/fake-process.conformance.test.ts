import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManager, isRigkitError } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { fakeProcessAdapter } from '../fake-process/fake-process-adapter.js';
import {
  CONFORMANCE_SUPERVISION,
  describeAdapterConformance,
} from './describe-adapter-conformance.js';
import { waitForEvent } from './wait-for-event.js';

describeAdapterConformance(fakeProcessAdapter, {
  options: { hashrate: 1234, printLines: 3 },
  faults: {
    // Long enough to become ready first, short enough to keep the case quick.
    crash: { runForMs: 800, exitCode: 3 },
    hang: { hangAfterMs: 600 },
    garbage: { garbage: true },
  },
});

describe('fake-process under the conformance settings, beyond the generic checks', () => {
  it('reports garbage as E_API_RESPONSE, restarts it as unhealthy and cuts its 100 KB line', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rigkit-fake-garbage-'));
    const manager = createManager({
      adapters: [fakeProcessAdapter],
      dataDir,
      sampleIntervalMs: 0,
      monitor: false,
    });
    try {
      const miner = await manager.create({
        kind: 'fake-process',
        name: 'garbage',
        options: { garbage: true },
        supervision: CONFORMANCE_SUPERVISION,
      });
      const restarted = waitForEvent(
        manager.events,
        'miner.restart',
        (e) => e.minerId === miner.id,
        10_000,
      );
      const longLine = waitForEvent(
        manager.events,
        'miner.log',
        (e) => e.minerId === miner.id && e.entry.truncated,
        10_000,
      );
      await miner.start();
      const error = await miner.sample().catch((e: unknown) => e);
      expect(isRigkitError(error) && error.code).toBe('E_API_RESPONSE');
      expect((await longLine).entry.text.length).toBe(16 * 1024);
      expect((await restarted).reason).toBe('unhealthy');
    } finally {
      await manager.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
