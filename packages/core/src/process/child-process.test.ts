import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRigkitError } from '../errors/rigkit-error.js';
import type { Logger } from '../logger.js';
import { type ChildHandle, type ChildLine, spawnChild } from './child-process.js';
import { PidfileStore } from './pidfile.js';

const linux = process.platform === 'linux';

function recordingLogger(): Logger & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  const logger: Logger & { calls: unknown[][] } = {
    calls,
    debug: (...args) => void calls.push(args),
    info: (...args) => void calls.push(args),
    warn: (...args) => void calls.push(args),
    error: (...args) => void calls.push(args),
    child: () => logger,
  };
  return logger;
}

/** Collects lines and lets a test wait for one, without sleeping. */
function lineCollector() {
  const lines: ChildLine[] = [];
  const waiters: Array<{ test: (l: ChildLine) => boolean; resolve: (l: ChildLine) => void }> = [];
  const onLine = (line: ChildLine): void => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.test(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  };
  const waitFor = (test: (l: ChildLine) => boolean): Promise<ChildLine> => {
    const seen = lines.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ test, resolve }));
  };
  const text = (stream: ChildLine['stream']) =>
    lines.filter((l) => l.stream === stream).map((l) => l.text);
  return { lines, onLine, waitFor, text };
}

const node = (script: string, args: string[] = []) => ({
  file: process.execPath,
  args: ['-e', script, ...args],
});

/** True once `pid` is gone: ESRCH, or a zombie that nobody reaps (PID 1 in some containers). */
function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

async function waitUntil(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

function openFds(): number | undefined {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

const READY_LOOP = "setInterval(() => {}, 1000); console.log('ready');";
const IGNORE_TERM = `process.on('SIGTERM', () => {}); ${READY_LOOP}`;

describe('spawnChild', () => {
  let dir: string;
  const handles: ChildHandle[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rigkit-child-'));
  });
  afterEach(async () => {
    await Promise.all(handles.splice(0).map((h) => h.kill()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(
    spec: Parameters<typeof spawnChild>[0],
    options: Partial<Parameters<typeof spawnChild>[1]> = {},
  ) {
    const collector = lineCollector();
    const handle = await spawnChild(spec, {
      logger: recordingLogger(),
      onLine: collector.onLine,
      ...options,
    });
    handles.push(handle);
    return { handle, ...collector };
  }

  it('splits stdout and stderr into lines, in order, truncating a 100 KB line', async () => {
    const script = `
      process.stdout.write('one\\ntw');
      process.stderr.write('err1\\r\\nerr2\\n');
      process.stdout.write('o\\n\\n' + 'x'.repeat(100 * 1024) + '\\nafter\\n');
      process.stdout.write('unterminated');
    `;
    const { handle, lines, text } = await start(node(script));
    const exit = await handle.exited;
    expect(exit.code).toBe(0);
    expect(text('stdout')).toEqual([
      'one',
      'two',
      '',
      'x'.repeat(16 * 1024),
      'after',
      'unterminated',
    ]);
    expect(text('stderr')).toEqual(['err1', 'err2']);
    const long = lines.find((l) => l.text.startsWith('x'));
    expect(long?.truncated).toBe(true);
    expect(lines.filter((l) => l.truncated)).toHaveLength(1);
  });

  it('honours maxLineLength, env and cwd, and delivers no line after exited', async () => {
    const script =
      "console.log(process.env.RIGKIT_TEST + ' ' + process.cwd()); console.log('abcdefgh')";
    const { handle, lines } = await start(
      { ...node(script), env: { RIGKIT_TEST: 'hello' }, cwd: dir },
      { maxLineLength: 4 },
    );
    await handle.exited;
    const count = lines.length;
    expect(lines).toEqual([
      { stream: 'stdout', text: 'hell', truncated: true },
      { stream: 'stdout', text: 'abcd', truncated: true },
    ]);
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(count);
  });

  it('records the exit code', async () => {
    const before = Date.now();
    const { handle } = await start(node('process.exit(3)'));
    const exit = await handle.exited;
    expect(exit).toEqual({ code: 3, signal: null, time: expect.any(Number) });
    expect(exit.time).toBeGreaterThanOrEqual(before);
    // Stopping an exited child is harmless and reports the same exit.
    expect(await handle.stop({ graceMs: 100 })).toBe(exit);
  });

  it('records the signal of a killed child', async () => {
    const { handle, waitFor } = await start(node(READY_LOOP));
    await waitFor((l) => l.text === 'ready');
    const exit = await handle.kill();
    expect(exit.code).toBeNull();
    expect(exit.signal).toBe('SIGKILL');
  });

  it('stops a cooperative child with SIGTERM, well within the grace period', async () => {
    const { handle, waitFor } = await start(node(READY_LOOP));
    await waitFor((l) => l.text === 'ready');
    const started = Date.now();
    const exit = await handle.stop({ graceMs: 10_000 });
    expect(exit.signal).toBe('SIGTERM');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('uses the stop signal from the spec', async () => {
    const script = `process.on('SIGINT', () => { console.log('got SIGINT'); process.exit(0) }); ${READY_LOOP}`;
    const { handle, waitFor, text } = await start({ ...node(script), stopSignal: 'SIGINT' });
    await waitFor((l) => l.text === 'ready');
    const exit = await handle.stop();
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(text('stdout')).toContain('got SIGINT');
  });

  it('SIGKILLs a child that ignores SIGTERM after the grace period; stop is idempotent', async () => {
    const { handle, waitFor } = await start(node(IGNORE_TERM));
    await waitFor((l) => l.text === 'ready');
    const started = Date.now();
    const stopping = handle.stop({ graceMs: 300 });
    expect(handle.stop({ graceMs: 1 })).toBe(stopping);
    const exit = await stopping;
    expect(exit.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(handle.stop()).toBe(stopping);
  });

  it('kill() cuts a running stop short', async () => {
    const { handle, waitFor } = await start(node(IGNORE_TERM));
    await waitFor((l) => l.text === 'ready');
    const started = Date.now();
    const stopping = handle.stop({ graceMs: 10_000 });
    const exit = await handle.kill();
    expect(exit.signal).toBe('SIGKILL');
    expect(await stopping).toBe(exit);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.runIf(process.platform !== 'win32')(
    'stop() kills the whole process group, grandchildren included',
    async () => {
      const script = `
        const { spawn } = require('node:child_process');
        const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
        grandchild.on('spawn', () => console.log('grandchild ' + grandchild.pid));
        setInterval(() => {}, 1000);
      `;
      const { handle, waitFor } = await start(node(script));
      const line = await waitFor((l) => l.text.startsWith('grandchild '));
      const grandchild = Number(line.text.split(' ')[1]);
      expect(processGone(grandchild)).toBe(false);
      await handle.stop({ graceMs: 2000 });
      expect(await waitUntil(() => processGone(grandchild), 2000)).toBe(true);
    },
  );

  it.runIf(process.platform !== 'win32')(
    'kills what is left of the group when the child exits, so exited never waits on it',
    async () => {
      // The grandchild inherits stdout and ignores SIGTERM: without the group kill, stdout
      // would stay open and `exited` would hang.
      const script = `
        const { spawn } = require('node:child_process');
        const grandchild = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); console.log('gc ready')"], { stdio: ['ignore', 'inherit', 'inherit'] });
        console.log('grandchild ' + grandchild.pid);
        process.stdin.on('data', () => process.exit(0));
      `;
      const { handle, waitFor } = await start(node(script));
      const line = await waitFor((l) => l.text.startsWith('grandchild '));
      await waitFor((l) => l.text === 'gc ready');
      const grandchild = Number(line.text.split(' ')[1]);
      const started = Date.now();
      handle.write('go\n');
      const exit = await handle.exited;
      expect(exit.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(await waitUntil(() => processGone(grandchild), 2000)).toBe(true);
    },
  );

  it.runIf(process.platform !== 'win32')(
    'cuts off output held open by a process outside the group, instead of waiting for it',
    async () => {
      // A detached grandchild leads a group of its own, out of reach of the group kill, and
      // keeps the child's stdout open after the child exits.
      const script = `
        const { spawn } = require('node:child_process');
        const grandchild = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: ['ignore', 'inherit', 'inherit'] });
        console.log('grandchild ' + grandchild.pid);
        process.exit(0);
      `;
      const logger = recordingLogger();
      const { handle, waitFor } = await start(node(script), { logger });
      const line = await waitFor((l) => l.text.startsWith('grandchild '));
      const grandchild = Number(line.text.split(' ')[1]);
      try {
        const exit = await handle.exited;
        expect(exit.code).toBe(0);
        expect(logger.calls.some((c) => c[1] === 'output still open after exit; closing it')).toBe(
          true,
        );
      } finally {
        process.kill(grandchild, 'SIGKILL');
      }
    },
  );

  it('writes to stdin, and refuses to once the child has exited', async () => {
    const script = `
      process.stdin.setEncoding('utf8');
      let buffered = '';
      process.stdin.on('data', (d) => {
        buffered += d;
        if (buffered.includes('\\n')) { console.log('echo ' + buffered.trim()); process.exit(0); }
      });
      console.log('ready');
    `;
    const { handle, waitFor } = await start(node(script));
    await waitFor((l) => l.text === 'ready');
    expect(handle.write('hello\n')).toBe(true);
    expect((await waitFor((l) => l.text.startsWith('echo '))).text).toBe('echo hello');
    await handle.exited;
    let caught: unknown;
    try {
      handle.write('late\n');
    } catch (error) {
      caught = error;
    }
    expect(isRigkitError(caught) && caught.code).toBe('E_PROCESS_NOT_RUNNING');
  });

  it('rejects with E_PROCESS_SPAWN for a missing file, never revealing the arguments', async () => {
    const secret = 'SECRET-PASS-123';
    for (const spec of [
      { file: join(dir, 'no-such-miner'), args: ['--pass', secret] },
      { file: process.execPath, args: ['--pass', secret], cwd: join(dir, 'missing-dir') },
      { file: 'bad\0name', args: ['--pass', secret] },
    ]) {
      const logger = recordingLogger();
      let caught: unknown;
      try {
        await spawnChild(spec, { logger, onLine: () => {} });
      } catch (error) {
        caught = error;
      }
      expect(isRigkitError(caught)).toBe(true);
      if (!isRigkitError(caught)) continue;
      expect(caught.code).toBe('E_PROCESS_SPAWN');
      expect(caught.message).toContain(spec.file.includes('\0') ? 'bad' : spec.file);
      expect(caught.message).not.toContain(secret);
      expect(JSON.stringify(caught.toJSON())).not.toContain(secret);
      expect(String(caught.stack)).not.toContain(secret);
      expect(caught.cause).toBeUndefined();
      expect(JSON.stringify(logger.calls)).not.toContain(secret);
    }
  });

  it('survives an onLine callback that throws', async () => {
    const logger = recordingLogger();
    const handle = await spawnChild(node("console.log('a'); console.log('b')"), {
      logger,
      onLine: () => {
        throw new Error('boom');
      },
    });
    expect((await handle.exited).code).toBe(0);
    expect(logger.calls.filter((c) => c[1] === 'onLine callback threw')).toHaveLength(2);
  });

  it.runIf(linux)('writes a pidfile while the child runs and removes it after exit', async () => {
    const store = new PidfileStore(join(dir, 'pids'));
    const { handle, waitFor } = await start(node(READY_LOOP, ['extra-arg']), {
      pidfiles: { store, minerId: 'miner/1' },
    });
    const [entry] = await store.list();
    expect(entry?.minerId).toBe('miner/1');
    expect(entry?.fingerprint.pid).toBe(handle.pid);
    expect(entry?.fingerprint.cmdline.slice(1)).toEqual(['-e', READY_LOOP, 'extra-arg']);
    await waitFor((l) => l.text === 'ready');
    await handle.stop({ graceMs: 2000 });
    expect(await store.list()).toEqual([]);
    expect(readdirSync(join(dir, 'pids'))).toEqual([]);
  });

  it.runIf(linux)('removes the pidfile of a child that exits on its own at once', async () => {
    const store = new PidfileStore(join(dir, 'pids'));
    const { handle } = await start(node('process.exit(0)'), {
      pidfiles: { store, minerId: 'quick' },
    });
    await handle.exited;
    expect(await store.list()).toEqual([]);
  });

  it('disposes through Symbol.asyncDispose with the spec defaults', async () => {
    const { handle, waitFor } = await start({ ...node(IGNORE_TERM), graceMs: 200 });
    await waitFor((l) => l.text === 'ready');
    await handle[Symbol.asyncDispose]();
    expect((await handle.exited).signal).toBe('SIGKILL');
  });

  it('leaves no handles, timers, fds or exit listeners behind after spawn/stop cycles', async () => {
    // The runner reports progress through a 100 ms throttle timer; let it fire first, or a
    // timer leaked here could hide behind it in the counts.
    const quiet = Date.now() + 1000;
    while (countResources().Timeout !== undefined && Date.now() < quiet) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const resources = countResources();
    const fds = openFds();
    const exitListeners = process.listenerCount('exit');

    // A child that exits within its grace period (the grace timer must be cleared, not left
    // to run out) and one that is SIGKILLed when the grace period ends.
    const cooperative = await start(node(READY_LOOP));
    const stubborn = await start(node(IGNORE_TERM));
    await cooperative.waitFor((l) => l.text === 'ready');
    await stubborn.waitFor((l) => l.text === 'ready');
    expect(process.listenerCount('exit')).toBe(exitListeners + 1);
    await Promise.all([
      cooperative.handle.stop({ graceMs: 10_000 }),
      stubborn.handle.stop({ graceMs: 100 }),
    ]);

    // libuv may let go of the process and pipe handles a loop turn or two after exit. The
    // test runner owns timers of its own that come and go, so only growth counts as a leak.
    const grown = (): Record<string, number> => {
      const now = countResources();
      const delta: Record<string, number> = {};
      for (const [type, n] of Object.entries(now)) {
        if (n > (resources[type] ?? 0)) delta[type] = n - (resources[type] ?? 0);
      }
      const fdsNow = openFds();
      if (fds !== undefined && fdsNow !== undefined && fdsNow > fds) delta.fd = fdsNow - fds;
      return delta;
    };
    const deadline = Date.now() + 1000;
    while (Object.keys(grown()).length > 0 && Date.now() < deadline) {
      await new Promise((r) => setImmediate(r));
    }
    expect(grown()).toEqual({});
    expect(process.listenerCount('exit')).toBe(exitListeners);
  });
});
