import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AnyAdapter, createManager, type Manager, type ManagerOptions } from '@rigkit/core';
import { CONFORMANCE_SUPERVISION } from '../conformance/describe-adapter-conformance.js';
import { fakeProcessAdapter } from '../fake-process/fake-process-adapter.js';

/**
 * Runs `fn` with a manager over a fresh temp data dir (fake-process adapter, quick supervision,
 * no stats loop, no monitor); closes the manager and removes the dir afterwards, also on failure.
 */
export async function withManager<T>(
  fn: (manager: Manager, dataDir: string) => Promise<T>,
  options: Partial<ManagerOptions> & { adapters?: AnyAdapter[] } = {},
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), 'rigkit-testkit-e2e-'));
  const manager = createManager({
    adapters: [fakeProcessAdapter],
    sampleIntervalMs: 0,
    monitor: false,
    ...options,
    supervision: { ...CONFORMANCE_SUPERVISION, ...options.supervision },
    dataDir,
  });
  try {
    return await fn(manager, dataDir);
  } finally {
    await manager.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
