// Test support: a real Manager with an in-process adapter (no child processes) inside the app.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManager, defineAdapter } from '@rigkit/core';
import { onTestFinished } from 'vitest';
import { z } from 'zod';
import { type AppOptions, buildApp } from '../app.js';

export const TEST_TOKEN = 'test-token-0123456789abcdef0123456789abcdef';

export const memoryMiner = defineAdapter({
  apiVersion: 1,
  kind: 'memory',
  meta: { name: 'memory-miner', version: '1.0.0', core: '*' },
  options: z
    .object({ hashrate: z.number().nonnegative().default(1000), pass: z.string().optional() })
    .strict(),
  runner: () => ({ start: async () => {}, stop: async () => {} }),
  probe: async (options) => ({ healthy: true, ready: true, hashrate: options.hashrate }),
  stats: async (options) => ({
    time: Date.now(),
    hashrate: options.hashrate,
    shares: { accepted: 2, rejected: 0 },
  }),
});

export async function testApp(overrides: Partial<AppOptions> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigkit-server-'));
  const manager = createManager({
    adapters: [memoryMiner],
    dataDir,
    sampleIntervalMs: 0,
    supervision: { probeIntervalMs: 60_000 },
  });
  const built = await buildApp({ manager, token: TEST_TOKEN, ...overrides });
  onTestFinished(async () => {
    await built.app.close();
    await manager.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const auth = { authorization: `Bearer ${TEST_TOKEN}` };
  return { ...built, manager, auth };
}
