import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../logger.js';
import { PidfileStore } from './pidfile.js';
import type { ProcessFingerprint } from './proc-stat.js';

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

const fingerprint = (pid: number): ProcessFingerprint => ({
  pid,
  startTime: '12345',
  cmdline: ['/usr/bin/xmrig', '--pass', 'SECRET-PASS-123'],
});

describe('PidfileStore', () => {
  let root: string;
  let dir: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'rigkit-pidfile-'));
    dir = join(root, 'run', 'pids');
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('does no I/O on construction and lists a missing directory as empty', async () => {
    const store = new PidfileStore(dir);
    expect(readdirSync(root)).toEqual([]);
    expect(await store.list()).toEqual([]);
    await store.remove('nothing');
  });

  it('writes atomically with private permissions, lists and removes', async () => {
    const store = new PidfileStore(dir);
    await store.write('miner-1', fingerprint(4242));
    const file = store.fileFor('miner-1');
    expect(readdirSync(dir)).toEqual([basename(file)]); // no temp file left
    if (process.platform !== 'win32') {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
    expect(await store.list()).toEqual([
      { minerId: 'miner-1', fingerprint: fingerprint(4242), file },
    ]);

    await store.write('miner-1', { ...fingerprint(4343), startTime: '9' });
    const [entry] = await store.list();
    expect(entry?.fingerprint).toEqual({ ...fingerprint(4343), startTime: '9' });

    await store.remove('miner-1');
    expect(await store.list()).toEqual([]);
  });

  it('maps any miner id to its own file inside the directory', async () => {
    const store = new PidfileStore(dir);
    const ids = [
      '../../etc/passwd',
      'a/b',
      'a\\b',
      '',
      '.',
      '..',
      'Miner',
      'miner',
      '%41',
      'A',
      '=x',
      'nul\0byte',
      'rig 🦊 ü',
      'x'.repeat(1000),
      `${'x'.repeat(1000)}y`,
    ];
    for (const [i, id] of ids.entries()) await store.write(id, fingerprint(1000 + i));

    const files = ids.map((id) => store.fileFor(id));
    expect(new Set(files.map((f) => f.toLowerCase())).size).toBe(ids.length);
    for (const file of files) {
      expect(dirname(file)).toBe(dir);
      expect(Buffer.byteLength(basename(file))).toBeLessThan(255);
      expect(basename(file).startsWith('.')).toBe(false);
    }
    expect(readdirSync(root)).toEqual(['run']);
    const listed = await store.list();
    expect(listed.map((e) => e.minerId).sort()).toEqual([...ids].sort());
    for (const entry of listed) {
      expect(entry.fingerprint.pid).toBe(1000 + ids.indexOf(entry.minerId));
    }
  });

  it('deletes malformed files and stale temp files without logging their contents', async () => {
    const logger = recordingLogger();
    const store = new PidfileStore(dir, { logger });
    await store.write('good', fingerprint(7));
    const secret = 'SECRET-PASS-123';
    writeFileSync(join(dir, 'broken.pid.json'), `{"oops": "${secret}"`);
    writeFileSync(
      join(dir, 'shape.pid.json'),
      JSON.stringify({ version: 1, minerId: 'shape', pid: -3, startTime: '1', cmdline: [secret] }),
    );
    // Well-formed, but the name does not belong to the id inside.
    writeFileSync(
      join(dir, 'renamed.pid.json'),
      JSON.stringify({ version: 1, minerId: 'other', pid: 5, startTime: '1', cmdline: [secret] }),
    );
    writeFileSync(join(dir, 'good.pid.json.999999.abcdef.tmp'), secret);
    writeFileSync(join(dir, 'unrelated.txt'), 'keep me');
    mkdirSync(join(dir, 'sub.pid.json'));

    const listed = await store.list();
    expect(listed.map((e) => e.minerId)).toEqual(['good']);
    expect(readdirSync(dir).sort()).toEqual(['good.pid.json', 'sub.pid.json', 'unrelated.txt']);
    expect(logger.calls.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(logger.calls)).not.toContain(secret);
  });
});
