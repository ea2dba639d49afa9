import { createServer, get as httpGet, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { defineAdapter, type Miner, RigkitError } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { expectNoLeaks, waitForBaseline } from '../leaks/expect-no-leaks.js';
import { snapshotResources } from '../leaks/snapshot-resources.js';
import { isProcessAlive } from '../process/process-alive.js';
import { withManager } from './e2e-manager.js';

const MB = 1024 * 1024;

/**
 * `globalThis.gc`, which this project's vitest config exposes (`execArgv: ['--expose-gc']`).
 * Missing means the measurement would be meaningless: fail loudly rather than skip.
 */
function requireGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') {
    throw new Error(
      'globalThis.gc is missing: run this file with node --expose-gc (see packages/testkit/vitest.config.ts)',
    );
  }
  return gc;
}

/** Heap in use after full collections, with loop turns between them for pending callbacks. */
async function settledHeapUsed(gc: () => void): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc();
    await nextTurn();
  }
  return process.memoryUsage().heapUsed;
}

async function cycle(miner: Miner, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await miner.start();
    await miner.stop();
  }
}

/**
 * An in-process miner that owns real resources: an HTTP server on a port of its own, an
 * interval timer, and the sockets of every probe (`fetch` against that server).
 */
const inProcessAdapter = defineAdapter<Record<string, never>, { port?: number }>({
  apiVersion: 1,
  kind: 'in-process',
  meta: { name: 'in-process-test-adapter', version: '0.0.0', core: '*' },
  options: z.strictObject({}),
  runner(_options, ctx) {
    let server: Server | undefined;
    let heartbeat: NodeJS.Timeout | undefined;
    return {
      async start() {
        const s = createServer((_req, res) => {
          res.setHeader('connection', 'close');
          res.setHeader('content-type', 'application/json');
          res.end('{"ok":true,"hashrate":100}');
        });
        server = s;
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve());
        });
        ctx.session.port = (s.address() as AddressInfo).port;
        heartbeat = setInterval(() => {}, 1000);
      },
      async stop() {
        clearInterval(heartbeat);
        const s = server;
        server = undefined;
        if (!s?.listening) return;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      },
    };
  },
  async probe(_options, ctx, signal) {
    const port = ctx.session.port;
    if (port === undefined) throw new RigkitError('E_PROCESS_NOT_RUNNING', 'no port');
    // node:http without an agent, not the global fetch: see fakeProcessAdapter's readHealth
    // (Node 20's fetch keeps a pool per origin forever, and every run has a new port).
    const text = await new Promise<string>((resolve, reject) => {
      const request = httpGet(
        { host: '127.0.0.1', port, path: '/health', agent: false, signal },
        (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            body += chunk;
          });
          response.on('end', () => resolve(body));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
    });
    const body = JSON.parse(text) as { ok: boolean; hashrate: number };
    return { healthy: body.ok, ready: body.ok, hashrate: body.hashrate };
  },
});

describe('start/stop cycles leak nothing', () => {
  // Why two tests: a real fake-process cycle (spawn Node, wait for its API, SIGTERM, reap)
  // measured ~165 ms on the 2-core CI machine, so 1000 of them would take ~3 minutes. The
  // 1000-cycle leak test therefore drives an in-process runner that owns real resources (a
  // listening HTTP server, an interval, probe sockets) through the very same lifecycle code
  // (queue, scopes, health watch, sessions, events), and a shorter run of 50 real processes
  // covers what only child processes have (pipes, pidfiles, exit handlers, process groups).
  it('1000 start/stop cycles of an in-process miner: resources back to baseline, heap growth < 1 MB', async () => {
    const gc = requireGc();
    await expectNoLeaks(async () => {
      await withManager(
        async (manager) => {
          const miner = await manager.create({ kind: 'in-process', name: 'cycles' });
          await cycle(miner, 50); // warm-up: JIT, lazy modules, fetch's dispatcher
          const resources = snapshotResources();
          const heapBefore = await settledHeapUsed(gc);

          await cycle(miner, 1000);

          expect(await waitForBaseline(resources)).toEqual({});
          const growth = (await settledHeapUsed(gc)) - heapBefore;
          expect(growth, `heap grew by ${(growth / MB).toFixed(2)} MB`).toBeLessThan(MB);
          expect(miner.state).toBe('stopped');
          expect(miner.info().generation).toBe(1050);
        },
        { adapters: [inProcessAdapter] },
      );
    });
  }, 60_000);

  it('50 start/stop cycles of a fake-process miner: every process gone, resources back to baseline, heap growth < 1 MB', async () => {
    const gc = requireGc();
    await expectNoLeaks(async () => {
      await withManager(async (manager) => {
        const miner = await manager.create({ kind: 'fake-process', name: 'cycles' });
        const pids: number[] = [];
        miner.on('miner.state', (e) => {
          const pid = miner.info().pid;
          if (e.to === 'running' && pid !== undefined) pids.push(pid);
        });
        await cycle(miner, 5); // warm-up
        const resources = snapshotResources();
        const heapBefore = await settledHeapUsed(gc);

        await cycle(miner, 50);

        expect(await waitForBaseline(resources)).toEqual({});
        const growth = (await settledHeapUsed(gc)) - heapBefore;
        expect(growth, `heap grew by ${(growth / MB).toFixed(2)} MB`).toBeLessThan(MB);
        expect(pids).toHaveLength(55);
        expect(pids.filter(isProcessAlive)).toEqual([]);
      });
    });
  }, 60_000);
});
