import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAdapter } from '../adapter/define-adapter.js';
import { createManager } from './manager.js';

// Real processes, real timers: after close() the process must hold exactly what it held before.
const CHILD = `
process.on('SIGTERM', () => process.exit(0));
console.log('ready');
setInterval(() => console.log('tick'), 50);
`;

const nodeChild = defineAdapter({
  apiVersion: 1,
  kind: 'node-child',
  meta: { name: 'node-child', version: '1.0.0', core: '*' },
  options: z.object({}),
  command: () => ({ file: process.execPath, args: ['-e', CHILD] }),
  probe: async () => ({ healthy: true, ready: true, hashrate: 1 }),
  stats: async () => ({ time: Date.now(), hashrate: 1 }),
});

function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Polls whole loop turns (libuv frees closed handles a turn or two late) until nothing grew. */
async function grownSince(baseline: Record<string, number>, settleMs = 2000) {
  const deadline = Date.now() + settleMs;
  for (;;) {
    const grown = Object.entries(activeResources()).filter(([t, n]) => n > (baseline[t] ?? 0));
    if (grown.length === 0 || Date.now() > deadline) return Object.fromEntries(grown);
    await nextTurn();
  }
}

describe('Manager with real processes', () => {
  let dataDir: string | undefined;
  afterEach(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('leaves no timer, socket, child process or listener behind after close()', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'rigkit-leak-'));
    const exitListeners = process.listenerCount('exit');
    const baseline = activeResources();

    const manager = createManager({
      adapters: [nodeChild],
      dataDir,
      sampleIntervalMs: 100,
      supervision: { probeIntervalMs: 100, stopGraceMs: 2000 },
    });
    const miners = await Promise.all(
      ['a', 'b', 'c'].map((id) => manager.create({ kind: 'node-child', name: id, id })),
    );
    await manager.startAll();
    expect(miners.map((m) => m.state)).toEqual(['running', 'running', 'running']);
    const lines = await new Promise<number>((resolve) => {
      let seen = 0;
      const off = manager.events.on('miner.log', () => {
        if (++seen === 10) {
          off();
          resolve(seen);
        }
      });
    });
    expect(lines).toBe(10);
    await miners[0]?.restart();
    expect(miners[0]?.generation).toBe(2);
    await manager.close();

    expect(await grownSince(baseline)).toEqual({});
    expect(process.listenerCount('exit')).toBe(exitListeners);
    for (const miner of miners) expect(miner.state).toBe('stopped');
  });
});
