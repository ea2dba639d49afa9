import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createManager, readProcessFingerprint } from '@rigkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeProcessAdapter } from '../fake-process/fake-process-adapter.js';
import { isProcessAlive, waitForProcessExit } from '../process/process-alive.js';

/** Runs a manager in a child process; see the file for what it prints. */
const managerChild = fileURLToPath(new URL('./manager-child.fixture.mjs', import.meta.url));

interface ChildReport {
  minerPid: number;
  grandchildPid: number;
}

/** The first stdout line of `child` as JSON; rejects if it exits or stays silent. */
async function readReport(child: ChildProcess, timeoutMs: number): Promise<ChildReport> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<ChildReport>((resolve, reject) => {
      lines.once('line', (line) => resolve(JSON.parse(line) as ChildReport));
      child.once('exit', (code, signal) =>
        reject(new Error(`manager child exited (${code ?? signal}) early: ${stderr}`)),
      );
      timer = setTimeout(
        () => reject(new Error(`manager child printed nothing in ${timeoutMs} ms: ${stderr}`)),
        timeoutMs,
      );
    });
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}

/** SIGKILLs a process group, or the process, if still there (cleanup after a failed test). */
function killQuietly(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

describe('orphans of a crashed manager (real processes)', () => {
  let dataDir: string;
  const leftovers: number[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rigkit-orphans-'));
  });
  afterEach(async () => {
    for (const pid of leftovers.splice(0)) killQuietly(pid);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reaps the miner and its grandchild that a SIGKILLed manager left behind', async () => {
    const child = spawn(process.execPath, [managerChild, dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    leftovers.push(child.pid as number);
    const { minerPid, grandchildPid } = await readReport(child, 15_000);
    leftovers.push(minerPid, grandchildPid);

    // The manager dies without running any handler; its miner leads its own process group
    // and survives, together with the grandchild in that group.
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    expect((await exited)[1]).toBe('SIGKILL');
    expect(isProcessAlive(minerPid)).toBe(true);
    expect(isProcessAlive(grandchildPid)).toBe(true);
    const pidDir = join(dataDir, 'pids');
    expect(readdirSync(pidDir)).toHaveLength(1);

    const manager = createManager({
      adapters: [fakeProcessAdapter],
      dataDir,
      sampleIntervalMs: 0,
      monitor: false,
    });
    try {
      await manager.start(); // reaps before it resolves
      expect(await waitForProcessExit(minerPid, 5000)).toBe(true);
      expect(await waitForProcessExit(grandchildPid, 5000)).toBe(true);
      expect(readdirSync(pidDir)).toEqual([]);
    } finally {
      await manager.close();
    }
  });

  it('never signals a process whose pid was recycled (start time or command line differ)', async () => {
    // An unrelated process that happens to hold the pid a pidfile names.
    const bystander = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], {
      stdio: 'ignore',
      detached: true,
    });
    await once(bystander, 'spawn');
    const pid = bystander.pid as number;
    leftovers.push(pid);
    const live = await readProcessFingerprint(pid);
    expect(live).toBeDefined();
    const startTime = live?.startTime as string;

    // Pidfiles as a crashed manager writes them (format version 1; ids of safe characters
    // are their own file names).
    const pidDir = join(dataDir, 'pids');
    mkdirSync(pidDir, { recursive: true, mode: 0o700 });
    const pidfile = (minerId: string, body: object) =>
      writeFileSync(
        join(pidDir, `${minerId}.pid.json`),
        JSON.stringify({ version: 1, minerId, pid, ...body }),
        { mode: 0o600 },
      );
    pidfile('other-start', { startTime: String(BigInt(startTime) + 1n), cmdline: live?.cmdline });
    pidfile('other-cmdline', { startTime, cmdline: ['/opt/xmrig/xmrig', '--donate-level', '1'] });

    const manager = createManager({
      adapters: [fakeProcessAdapter],
      dataDir,
      sampleIntervalMs: 0,
      monitor: false,
    });
    try {
      await manager.start();
      expect(isProcessAlive(pid)).toBe(true);
      expect(bystander.exitCode).toBeNull();
      expect(bystander.signalCode).toBeNull();
      expect(readdirSync(pidDir)).toEqual([]); // stale pidfiles are removed all the same
    } finally {
      await manager.close();
    }
  });
});
