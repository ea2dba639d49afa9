import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { PidfileStore } from './pidfile.js';
import { type ProcessFingerprint, readProcessFingerprint } from './proc-stat.js';
import { reapOrphans } from './reap-orphans.js';

/** Spawns a detached long-running node child, as a crashed manager would have left behind. */
async function spawnOrphan(script: string): Promise<{ child: ChildProcess; ready: Promise<void> }> {
  const child = spawn(process.execPath, ['-e', script], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await once(child, 'spawn');
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<void>((resolve) => {
    lines.on('line', (line) => {
      if (line === 'ready') resolve();
    });
  });
  return { child, ready };
}

async function fingerprintOf(pid: number): Promise<ProcessFingerprint> {
  const fingerprint = await readProcessFingerprint(pid);
  if (fingerprint === undefined) throw new Error(`no fingerprint for pid ${pid}`);
  return fingerprint;
}

describe.runIf(process.platform === 'linux')('reapOrphans (Linux)', () => {
  let dir: string;
  let store: PidfileStore;
  const children: ChildProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rigkit-reap-'));
    store = new PidfileStore(join(dir, 'pids'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('kills a matching orphan, spares a recycled pid, drops a vanished one', async () => {
    const orphan = await spawnOrphan("console.log('ready'); setInterval(() => {}, 1000)");
    children.push(orphan.child);
    await orphan.ready;
    const pid = orphan.child.pid as number;
    const exited = once(orphan.child, 'exit');
    const live = await fingerprintOf(pid);
    expect(live.cmdline.slice(1)).toEqual([
      '-e',
      "console.log('ready'); setInterval(() => {}, 1000)",
    ]);
    await store.write('orphan', live);

    // The pid of this very test runner, recorded with a start time it never had.
    const self = await fingerprintOf(process.pid);
    await store.write('recycled', { ...self, startTime: '1' });
    // Same pid and start time, different command line: also someone else.
    await store.write('other-cmdline', { ...self, cmdline: ['x'] });
    // Above PID_MAX_LIMIT: cannot exist.
    await store.write('vanished', { pid: 2 ** 22 + 1, startTime: '5', cmdline: ['xmrig'] });

    const results = await reapOrphans(store, { logger: silentLogger, graceMs: 2000 });

    expect(results.sort((a, b) => a.minerId.localeCompare(b.minerId))).toEqual([
      { minerId: 'orphan', pid, action: 'killed' },
      { minerId: 'other-cmdline', pid: process.pid, action: 'recycled' },
      { minerId: 'recycled', pid: process.pid, action: 'recycled' },
      { minerId: 'vanished', pid: 2 ** 22 + 1, action: 'gone' },
    ]);
    const [, signal] = await exited;
    expect(signal).toBe('SIGTERM');
    expect(await readProcessFingerprint(pid)).toBeUndefined();
    expect(await readProcessFingerprint(process.pid)).toBeDefined();
    expect(readdirSync(join(dir, 'pids'))).toEqual([]);
  });

  it('SIGKILLs an orphan that ignores SIGTERM once the grace period is over', async () => {
    const orphan = await spawnOrphan(
      "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')",
    );
    children.push(orphan.child);
    await orphan.ready;
    const pid = orphan.child.pid as number;
    const exited = once(orphan.child, 'exit');
    await store.write('stubborn', await fingerprintOf(pid));

    const started = Date.now();
    const results = await reapOrphans(store, { logger: silentLogger, graceMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(results).toEqual([{ minerId: 'stubborn', pid, action: 'killed' }]);
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
    expect(await store.list()).toEqual([]);
  });

  it('escalates to SIGKILL at once when its signal is aborted', async () => {
    const orphan = await spawnOrphan(
      "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('ready')",
    );
    children.push(orphan.child);
    await orphan.ready;
    const pid = orphan.child.pid as number;
    const exited = once(orphan.child, 'exit');
    await store.write('stubborn', await fingerprintOf(pid));

    const started = Date.now();
    const results = await reapOrphans(store, {
      logger: silentLogger,
      graceMs: 10_000,
      signal: AbortSignal.abort(),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(results).toEqual([{ minerId: 'stubborn', pid, action: 'killed' }]);
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');
  });

  it('does nothing with an empty or missing directory', async () => {
    expect(await reapOrphans(store, { logger: silentLogger, graceMs: 100 })).toEqual([]);
  });
});
