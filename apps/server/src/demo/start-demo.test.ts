// `rigkit serve --demo` end to end: pool simulator ← demo-proxy ← three simulated xmrig miners,
// all supervised by the real server, and nothing left behind after close().
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RigkitEvents } from '@rigkit/core';
import { expectNoLeaks } from '@rigkit/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startServer } from '../start-server.js';
import { DEMO_PROXY_ID } from './start-demo.js';

describe('demo mode', { timeout: 30_000 }, () => {
  it('routes the three simulated miners through the demo proxy and releases everything on close', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rigkit-demo-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    await expectNoLeaks(
      async () => {
        const workers = new Set<string>();
        let allConnected!: () => void;
        const connected = new Promise<void>((resolve) => {
          allConnected = resolve;
        });
        const onWorker = (event: RigkitEvents['proxy.worker.connected']) => {
          if (event.minerId !== DEMO_PROXY_ID) return;
          workers.add(event.worker);
          if (workers.size === 3) allConnected();
        };
        const server = await startServer({
          demo: true,
          dataDir: join(dir, 'data'),
          cwd: dir,
          port: 0,
          storage: false,
          skipConfiguredAdapters: true,
          handleSignals: false,
          logLevel: 'silent',
          // Subscribed before autostart, so no login is missed.
          onListening: async ({ manager }) => {
            manager.events.on('proxy.worker.connected', onWorker);
          },
        });
        try {
          const miners = server.manager.list().map((miner) => `${miner.id}:${miner.kind}`);
          expect(miners.sort()).toEqual([
            'demo-1:xmrig',
            'demo-2:xmrig',
            'demo-3:xmrig',
            `${DEMO_PROXY_ID}:stratum-proxy`,
          ]);
          await connected;
          expect([...workers].sort()).toEqual(['demo-1', 'demo-2', 'demo-3']);
          const proxy = server.manager.get(DEMO_PROXY_ID);
          expect(proxy.state).toBe('running');
          const sample = await proxy.sample();
          // Aggregate mode: three miners, one pool connection.
          expect(sample.metrics).toMatchObject({ proxy_miners: 3, proxy_upstreams_active: 1 });
          const list = await fetch(`${server.url}/api/v1/miners`, {
            headers: { connection: 'close' },
          });
          const body = (await list.json()) as { miners: Array<{ id: string; state: string }> };
          expect(body.miners.find((m) => m.id === DEMO_PROXY_ID)?.state).toBe('running');
        } finally {
          await server.close();
        }
      },
      { settleMs: 5000 },
    );
  });
});
