import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findExecutable } from './find-executable.js';

describe('findExecutable', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a name on PATH, a path directly, and skips non-executables and empty PATH entries', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rigkit-find-'));
    const exe = join(dir, 'miner');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    writeFileSync(join(dir, 'plain'), 'x');
    expect(await findExecutable('miner', `${dir}`)).toBe(exe);
    expect(await findExecutable(exe, '')).toBe(exe);
    expect(await findExecutable('plain', dir)).toBeUndefined();
    expect(await findExecutable('missing', dir)).toBeUndefined();
    expect(await findExecutable('miner', '')).toBeUndefined(); // "" is not the cwd
  });
});
