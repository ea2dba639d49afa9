import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigkitError } from '@rigkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectXmrig } from './detect-xmrig.js';

let dir: string;
async function script(name: string, body: string, mode = 0o755): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, mode);
  return path;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rigkit-xmrig-detect-'));
  await script('xmrig', 'echo "XMRig 6.26.0"; echo " built on Nov 24 2026 with GCC 12.2.0"');
  await script('xmrig-broken', 'echo "boom" >&2; exit 3');
  await script('xmrig-quiet', 'echo "hello"');
  await script('xmrig-hang', 'exec sleep 30');
  await script('xmrig-noexec', 'echo "XMRig 6.26.0"', 0o644);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('detectXmrig', () => {
  it('finds xmrig on PATH and reads its version', async () => {
    expect(await detectXmrig({ envPath: `/nonexistent:${dir}` })).toEqual({
      found: true,
      path: join(dir, 'xmrig'),
      version: '6.26.0',
    });
  });

  it('takes a path as given', async () => {
    expect(await detectXmrig({ binary: join(dir, 'xmrig'), envPath: '' })).toMatchObject({
      found: true,
      version: '6.26.0',
    });
  });

  it('reports a missing or non-executable binary as not found', async () => {
    expect(await detectXmrig({ envPath: '/nonexistent' })).toEqual({
      found: false,
      message: 'xmrig binary "xmrig" was not found on PATH',
    });
    expect(await detectXmrig({ binary: join(dir, 'xmrig-noexec') })).toMatchObject({
      found: false,
    });
    expect(await detectXmrig({ binary: join(dir, 'missing') })).toMatchObject({ found: false });
  });

  it('says so when the output has no version', async () => {
    expect(await detectXmrig({ binary: join(dir, 'xmrig-quiet') })).toEqual({
      found: true,
      path: join(dir, 'xmrig-quiet'),
      message: `${join(dir, 'xmrig-quiet')} --version printed no XMRig version`,
    });
  });

  it('throws E_DETECT_FAILED when the binary fails or hangs', async () => {
    const failed = await detectXmrig({ binary: join(dir, 'xmrig-broken') }).catch(
      (e: unknown) => e,
    );
    expect(isRigkitError(failed) && failed.code).toBe('E_DETECT_FAILED');
    expect(isRigkitError(failed) && failed.details).toMatchObject({ exitCode: 3 });

    const hung = await detectXmrig({ binary: join(dir, 'xmrig-hang'), timeoutMs: 150 }).catch(
      (e: unknown) => e,
    );
    expect(isRigkitError(hung) && hung.code).toBe('E_DETECT_FAILED');
    expect(isRigkitError(hung) && hung.details).toMatchObject({ timedOut: true });
  });

  it('honours the AbortSignal', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(detectXmrig({ signal: controller.signal })).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
    const running = new AbortController();
    const pending = detectXmrig({ binary: join(dir, 'xmrig-hang'), signal: running.signal });
    running.abort();
    await expect(pending).rejects.toMatchObject({ code: 'E_ABORTED' });
  });
});
