// Test support: the app from test-app.ts, but listening on a real loopback port (for WebSockets).
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManager } from '@rigkit/core';
import { onTestFinished } from 'vitest';
import { type AppOptions, buildApp } from '../app.js';
import { memoryMiner, TEST_TOKEN } from './test-app.js';

/**
 * Builds the app around a real manager (in-process `memory` adapter), listens on
 * 127.0.0.1:0 and returns the WebSocket URL. `close()` is idempotent and also runs after the
 * test, so a test may close early (e.g. inside `expectNoLeaks`).
 */
export async function listeningApp(overrides: Partial<AppOptions> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'rigkit-server-ws-'));
  const manager = createManager({
    adapters: [memoryMiner],
    dataDir,
    sampleIntervalMs: 0,
    supervision: { probeIntervalMs: 60_000 },
  });
  const built = await buildApp({ manager, token: TEST_TOKEN, ...overrides });
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await built.app.close();
      await manager.close();
      rmSync(dataDir, { recursive: true, force: true });
    })();
    return closing;
  };
  onTestFinished(close);
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = built.app.server.address() as AddressInfo;
  return {
    ...built,
    manager,
    port,
    url: `ws://127.0.0.1:${port}/api/v1/events`,
    auth: { authorization: `Bearer ${TEST_TOKEN}` },
    close,
  };
}
