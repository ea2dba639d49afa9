import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRigkitError, type RigkitError } from '@rigkit/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createXmrigAdapter } from '../adapter/create-xmrig-adapter.js';
import { buildArchive, FAKE_XMRIG, rawArchive, sha256 } from '../test-support/archives.js';
import { createCapturingLogger } from '../test-support/capturing-logger.js';
import { type LocalServer, startLocalServer } from '../test-support/local-server.js';
import { installXmrig } from './install-xmrig.js';

let server: LocalServer;
const files = new Map<string, Buffer>();
let good: Buffer;
let root: string;
let dir: string;

beforeAll(async () => {
  server = await startLocalServer();
  server.handle((req, res) => {
    const url = new URL(req.url ?? '/', server.origin);
    const body = files.get(url.pathname);
    if (!body) return void res.writeHead(404).end();
    if (url.searchParams.has('chunked')) {
      res.writeHead(200); // no content-length: the size is only known while streaming
      res.write(body);
      return void res.end(body);
    }
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  good = await buildArchive(
    {
      'xmrig-6.26.0/xmrig': { mode: 0o4755, content: FAKE_XMRIG },
      'xmrig-6.26.0/config.json': '{}\n',
      'xmrig-6.26.0/latest': { symlink: 'xmrig' },
    },
    ['xmrig-6.26.0'],
  );
  files.set('/v6.26.0/xmrig-6.26.0-linux-static-x64.tar.gz', good);
  files.set(
    '/v6.26.0/SHA256SUMS',
    Buffer.from(
      `${'0'.repeat(64)}  xmrig-6.26.0-linux-static-arm64.tar.gz\n` +
        `${sha256(good).toUpperCase()} *xmrig-6.26.0-linux-static-x64.tar.gz\n`,
    ),
  );
});
afterAll(() => server.close());

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rigkit-xmrig-install-'));
  dir = join(root, 'xmrig');
});
afterEach(() => rm(root, { recursive: true, force: true }));

const urlOf = (path: string) => `${server.origin}${path}`;
const GOOD_URL = () => urlOf('/v6.26.0/xmrig-6.26.0-linux-static-x64.tar.gz');

async function failure(promise: Promise<unknown>): Promise<RigkitError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (isRigkitError(error)) return error;
  throw new Error(`expected a RigkitError, got ${String(error)}`);
}

/** Nothing but what was there before: no temp archive, no staging dir, no half install. */
async function expectNothingLeft(expected: string[] = []): Promise<void> {
  expect((await readdir(root)).sort()).toEqual(expected);
}

describe('installXmrig', () => {
  it('downloads, verifies, extracts and moves into place, reporting progress', async () => {
    const phases: { phase: string; done?: number; total?: number }[] = [];
    const installed = await installXmrig({
      url: GOOD_URL(),
      sha256: sha256(good),
      dir,
      progress: (p) => phases.push(p),
    });
    expect(installed).toEqual({
      dir,
      binary: join(dir, 'xmrig-6.26.0', 'xmrig'),
      sha256: sha256(good),
      bytes: good.length,
    });
    expect(await readFile(installed.binary, 'utf8')).toBe(FAKE_XMRIG);
    // setuid dropped, executable kept; the internal symlink survives.
    expect((await lstat(installed.binary)).mode & 0o7777).toBe(0o755);
    expect(await readlink(join(dir, 'xmrig-6.26.0', 'latest'))).toBe('xmrig');
    expect(phases.map((p) => p.phase).filter((p, i, all) => all[i - 1] !== p)).toEqual([
      'download',
      'verify',
      'extract',
    ]);
    expect(phases.filter((p) => p.phase === 'download').at(-1)).toEqual({
      phase: 'download',
      done: good.length,
      total: good.length,
    });
    await expectNothingLeft(['xmrig']);
  });

  it('checks against a SHA256SUMS file (hex case and binary marker tolerated)', async () => {
    const installed = await installXmrig({
      url: GOOD_URL(),
      sha256sumsUrl: urlOf('/v6.26.0/SHA256SUMS'),
      dir,
    });
    expect(installed.sha256).toBe(sha256(good));
    await expectNothingLeft(['xmrig']);
  });

  it('replaces an existing install in one step', async () => {
    await mkdir(dir);
    await writeFile(join(dir, 'old'), 'old');
    await installXmrig({ url: GOOD_URL(), sha256: sha256(good), dir });
    expect(await readdir(dir)).toEqual(['xmrig-6.26.0']);
    await expectNothingLeft(['xmrig']);
  });

  it('fails with E_INSTALL_CHECKSUM on a mismatch and keeps the previous install', async () => {
    await mkdir(dir);
    await writeFile(join(dir, 'old'), 'old');
    const error = await failure(installXmrig({ url: GOOD_URL(), sha256: 'ab'.repeat(32), dir }));
    expect(error.code).toBe('E_INSTALL_CHECKSUM');
    expect(error.details).toMatchObject({ expected: 'ab'.repeat(32), actual: sha256(good) });
    expect(await readdir(dir)).toEqual(['old']);
    await expectNothingLeft(['xmrig']);
  });

  it('fails with E_INSTALL_CHECKSUM when SHA256SUMS does not list the archive', async () => {
    files.set('/other/SHA256SUMS', Buffer.from(`${sha256(good)}  something-else.tar.gz\n`));
    const error = await failure(
      installXmrig({ url: GOOD_URL(), sha256sumsUrl: urlOf('/other/SHA256SUMS'), dir }),
    );
    expect(error.code).toBe('E_INSTALL_CHECKSUM');
    await expectNothingLeft();
  });

  it('fails with E_INSTALL_DOWNLOAD for 404, declared and streamed oversize', async () => {
    const missing = await failure(
      installXmrig({ url: urlOf('/nope.tar.gz'), sha256: sha256(good), dir }),
    );
    expect(missing.code).toBe('E_INSTALL_DOWNLOAD');
    expect(missing.details).toMatchObject({ status: 404 });

    const declared = await failure(
      installXmrig({ url: GOOD_URL(), sha256: sha256(good), dir, maxDownloadBytes: 100 }),
    );
    expect(declared.code).toBe('E_INSTALL_DOWNLOAD');

    const streamed = await failure(
      installXmrig({
        url: `${GOOD_URL()}?chunked=1`,
        sha256: sha256(good),
        dir,
        maxDownloadBytes: good.length + 10,
      }),
    );
    expect(streamed.code).toBe('E_INSTALL_DOWNLOAD');
    expect(streamed.message).toContain('exceeds the limit');
    await expectNothingLeft();
  });

  it('keeps query strings (signed URLs) out of messages', async () => {
    const error = await failure(
      installXmrig({
        url: urlOf('/nope.tar.gz?X-Signature=SENTINEL-SIG'),
        sha256: sha256(good),
        dir,
      }),
    );
    expect(JSON.stringify(error)).not.toContain('SENTINEL-SIG');
    expect(error.message).not.toContain('SENTINEL-SIG');
  });

  it('refuses a bad source with E_CONFIG_INVALID', async () => {
    for (const source of [
      { url: 'file:///etc/passwd', sha256: sha256(good) },
      { url: GOOD_URL() },
      { url: GOOD_URL(), sha256: 'xyz' },
      { url: GOOD_URL(), sha256: sha256(good), sha256sumsUrl: urlOf('/v6.26.0/SHA256SUMS') },
    ]) {
      expect((await failure(installXmrig({ ...source, dir }))).code).toBe('E_CONFIG_INVALID');
    }
  });

  it('fails with E_INSTALL_BINARY_MISSING when the archive has no xmrig', async () => {
    const archive = await buildArchive({ 'readme.txt': 'hi' });
    files.set('/no-binary.tar.gz', archive);
    const error = await failure(
      installXmrig({ url: urlOf('/no-binary.tar.gz'), sha256: sha256(archive), dir }),
    );
    expect(error.code).toBe('E_INSTALL_BINARY_MISSING');
    await expectNothingLeft();
  });
});

describe('installXmrig refuses unsafe archives with E_INSTALL_UNSAFE_ARCHIVE', () => {
  async function refused(name: string, archive: Buffer): Promise<RigkitError> {
    files.set(`/${name}.tar.gz`, archive);
    const error = await failure(
      installXmrig({ url: urlOf(`/${name}.tar.gz`), sha256: sha256(archive), dir }),
    );
    expect(error.code).toBe('E_INSTALL_UNSAFE_ARCHIVE');
    await expectNothingLeft();
    return error;
  }

  it('a "../evil" entry, written nowhere', async () => {
    const archive = await buildArchive({ xmrig: FAKE_XMRIG, '../evil': 'pwned' });
    expect((await refused('dotdot', archive)).details).toEqual({
      reason: 'parent-segment',
      entry: '../evil',
    });
  });

  it('an absolute path', async () => {
    const abs = await mkdtemp(join(tmpdir(), 'rigkit-abs-'));
    try {
      const archive = await buildArchive({
        xmrig: FAKE_XMRIG,
        [join(abs, 'abs', 'path')]: 'pwned',
      });
      expect((await refused('absolute', archive)).details).toMatchObject({
        reason: 'absolute-path',
      });
    } finally {
      await rm(abs, { recursive: true, force: true });
    }
  });

  it('a symlink to /etc, and a file written through it', async () => {
    const archive = await buildArchive({ xmrig: FAKE_XMRIG, etc: { symlink: '/etc' } });
    expect((await refused('symlink-etc', archive)).details).toEqual({
      reason: 'link-escape',
      entry: 'etc',
    });
    const through = rawArchive([
      { path: 'xmrig', body: FAKE_XMRIG },
      { path: 'dir', type: 'SymbolicLink', linkpath: 'sub' },
      { path: 'dir/x', body: 'x' },
    ]);
    expect((await refused('through-link', through)).details).toMatchObject({
      reason: 'through-symlink',
    });
  });

  it('relative links that climb out, directly or through another link', async () => {
    const climb = await buildArchive({ xmrig: FAKE_XMRIG, 'a/up': { symlink: '../../outside' } });
    expect((await refused('climb', climb)).details).toMatchObject({ reason: 'link-escape' });
    const chained = rawArchive([
      { path: 'xmrig', body: FAKE_XMRIG },
      { path: 'a/b/s', type: 'SymbolicLink', linkpath: '../..' },
      { path: 'l', type: 'SymbolicLink', linkpath: 'a/b/s/../x' },
      { path: 'm', type: 'SymbolicLink', linkpath: 'a/b/s/s/..' },
    ]);
    expect((await refused('chained', chained)).details).toMatchObject({ reason: 'link-escape' });
  });

  it('devices and hard links to files outside the archive', async () => {
    const device = rawArchive([
      { path: 'xmrig', body: FAKE_XMRIG },
      { path: 'null', type: 'CharacterDevice', devmaj: 1, devmin: 3 },
    ]);
    expect((await refused('device', device)).details).toMatchObject({ reason: 'entry-type' });
    const hardlink = rawArchive([
      { path: 'xmrig', body: FAKE_XMRIG },
      { path: 'passwd', type: 'Link', linkpath: 'etc/passwd' },
    ]);
    expect((await refused('hardlink', hardlink)).details).toMatchObject({
      reason: 'link-target-missing',
    });
  });

  it('something that is not a tar.gz at all', async () => {
    const garbage = Buffer.from('this is not an archive');
    expect((await refused('garbage', garbage)).details).toMatchObject({ reason: 'unreadable' });
  });
});

describe('adapter install()', () => {
  it('installs from the configured source and reports the detected version', async () => {
    const logger = createCapturingLogger();
    const adapter = createXmrigAdapter({ install: { url: GOOD_URL(), sha256: sha256(good) } });
    const phases: string[] = [];
    const result = await adapter.install?.(
      { logger, dataDir: root, signal: new AbortController().signal },
      (p) => phases.push(p.phase),
    );
    expect(result).toEqual({
      found: true,
      path: join(root, 'xmrig', 'xmrig-6.26.0', 'xmrig'),
      version: '6.26.0',
    });
    expect(new Set(phases)).toEqual(new Set(['download', 'verify', 'extract']));
  });

  it('needs an install source', async () => {
    const error = await failure(
      Promise.resolve().then(() =>
        createXmrigAdapter().install?.(
          { logger: createCapturingLogger(), dataDir: root, signal: new AbortController().signal },
          () => {},
        ),
      ),
    );
    expect(error.code).toBe('E_CONFIG_INVALID');
  });
});
