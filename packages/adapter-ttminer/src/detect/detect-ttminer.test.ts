import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigkitError } from '@rigkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectTtminer } from './detect-ttminer.js';

let dir: string;
async function script(name: string, body: string, mode = 0o755): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rigkit-ttminer-detect-'));
  await script(
    'TT-Miner',
    '[ "$1" = "-v" ] || { echo "expected -v" >&2; exit 9; }\necho "TT-Miner 2024.3.2"',
  );
  await script('tt-exit1', 'echo "TT-Miner/2024.1.0"; exit 1');
  await script('tt-broken', 'echo "boom" >&2; exit 3');
  await script('tt-quiet', 'echo "hello"');
  await script('tt-hang', 'exec sleep 30');
  await script('tt-noexec', 'echo "TT-Miner 2024.3.2"', 0o644);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('detectTtminer', () => {
  it('finds TT-Miner on PATH and reads its version from -v', async () => {
    expect(await detectTtminer({ envPath: `/nonexistent:${dir}` })).toEqual({
      found: true,
      path: join(dir, 'TT-Miner'),
      version: '2024.3.2',
    });
  });

  it('takes a path as given, and accepts a version printed before a non-zero exit', async () => {
    expect(await detectTtminer({ binary: join(dir, 'TT-Miner'), envPath: '' })).toMatchObject({
      found: true,
      version: '2024.3.2',
    });
    expect(await detectTtminer({ binary: join(dir, 'tt-exit1') })).toEqual({
      found: true,
      path: join(dir, 'tt-exit1'),
      version: '2024.1.0',
    });
  });

  it('reports a missing or non-executable binary as not found', async () => {
    expect(await detectTtminer({ envPath: '/nonexistent' })).toEqual({
      found: false,
      message: 'TT-Miner binary "TT-Miner" was not found on PATH',
    });
    expect(await detectTtminer({ binary: join(dir, 'tt-noexec') })).toMatchObject({
      found: false,
    });
    expect(await detectTtminer({ binary: join(dir, 'missing') })).toEqual({
      found: false,
      message: `TT-Miner binary "${join(dir, 'missing')}" is not an executable file`,
    });
  });

  it('says so when the output has no version', async () => {
    expect(await detectTtminer({ binary: join(dir, 'tt-quiet') })).toEqual({
      found: true,
      path: join(dir, 'tt-quiet'),
      message: `${join(dir, 'tt-quiet')} -v printed no TT-Miner version`,
    });
  });

  it('throws E_DETECT_FAILED when the binary fails or hangs (timeout)', async () => {
    const failed = await detectTtminer({ binary: join(dir, 'tt-broken') }).catch((e: unknown) => e);
    expect(isRigkitError(failed) && failed.code).toBe('E_DETECT_FAILED');
    expect(isRigkitError(failed) && failed.details).toMatchObject({ exitCode: 3 });

    const started = Date.now();
    const hung = await detectTtminer({ binary: join(dir, 'tt-hang'), timeoutMs: 150 }).catch(
      (e: unknown) => e,
    );
    expect(isRigkitError(hung) && hung.code).toBe('E_DETECT_FAILED');
    expect(isRigkitError(hung) && hung.details).toMatchObject({ timedOut: true });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('honours the AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(detectTtminer({ signal: controller.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
    const running = new AbortController();
    const pending = detectTtminer({ binary: join(dir, 'tt-hang'), signal: running.signal });
    setTimeout(() => running.abort(), 50);
    await expect(pending).rejects.toMatchObject({ code: 'E_ABORTED' });
  });
});
