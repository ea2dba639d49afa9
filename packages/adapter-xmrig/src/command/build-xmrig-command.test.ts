import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { xmrigOptionsSchema } from '../options/xmrig-options.js';
import { createCapturingLogger, render } from '../test-support/capturing-logger.js';
import { createTestContext, type TestContext } from '../test-support/test-context.js';
import { buildXmrigCommand, cleanupXmrigRun, XMRIG_GRACE_MS } from './build-xmrig-command.js';

const PASS = 'SENTINEL-PASS-9f3a';
const options = (extra: Record<string, unknown> = {}) =>
  xmrigOptionsSchema.parse({
    pools: [
      { url: 'stratum+tcp://pool.example:3333', user: 'wallet', pass: PASS, rigId: 'rig-1' },
      { url: 'backup.example:3333', user: 'wallet', pass: PASS },
    ],
    ...extra,
  });

let tc: TestContext | undefined;
afterEach(async () => {
  await tc?.dispose();
  tc = undefined;
});

describe('buildXmrigCommand with a config file (default)', () => {
  it('keeps the password and the token off the command line and out of the logs', async () => {
    const logger = createCapturingLogger();
    tc = await createTestContext({ logger });
    const spec = await buildXmrigCommand(options(), tc.ctx, 'xmrig');
    const { port, token, configFile } = tc.ctx.session;

    expect(spec).toEqual({
      file: 'xmrig',
      args: ['--config', configFile, '--no-color'],
      stopSignal: 'SIGTERM',
      graceMs: XMRIG_GRACE_MS,
    });
    expect(port).toBeGreaterThan(0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const commandLine = [spec.file, ...spec.args].join(' ');
    expect(commandLine).not.toContain(PASS);
    expect(commandLine).not.toContain(token);
    expect(logger.calls.length).toBeGreaterThan(0);
    expect(logger.text()).not.toContain(PASS);
    expect(logger.text()).not.toContain(token);
    // The session can be dumped without printing the token.
    expect(JSON.stringify(tc.ctx.session)).not.toContain(token);
    expect(render(tc.ctx.session)).not.toContain(token);
  });

  it('writes a 0600 config file with the pools, the password and the loopback API', async () => {
    tc = await createTestContext();
    await buildXmrigCommand(options({ donateLevel: 0 }), tc.ctx, 'xmrig');
    const file = tc.ctx.session.configFile as string;
    expect(file.startsWith(`${tc.dataDir}/xmrig-`)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const config = JSON.parse(await readFile(file, 'utf8'));
    expect(config.http).toEqual({
      enabled: true,
      host: '127.0.0.1',
      port: tc.ctx.session.port,
      'access-token': tc.ctx.session.token,
      restricted: true,
    });
    expect(config.pools.map((p: { url: string; pass: string }) => [p.url, p.pass])).toEqual([
      ['stratum+tcp://pool.example:3333', PASS],
      ['backup.example:3333', PASS],
    ]);
    expect(config['donate-level']).toBe(0);
    // Only the config file: no temporary file left over.
    expect(await readdir(tc.dataDir)).toEqual([file.slice(tc.dataDir.length + 1)]);
  });

  it('uses a fresh port, token and file for every start', async () => {
    tc = await createTestContext();
    await buildXmrigCommand(options(), tc.ctx, 'xmrig');
    const first = { ...tc.ctx.session, token: tc.ctx.session.token };
    const second = await createTestContext();
    try {
      await buildXmrigCommand(options(), second.ctx, 'xmrig');
      expect(second.ctx.session.token).not.toBe(first.token);
      expect(second.ctx.session.configFile).not.toBe(first.configFile);
    } finally {
      await second.dispose();
    }
  });

  it('removes the file in cleanup(), and when the run ends without cleanup()', async () => {
    tc = await createTestContext();
    await buildXmrigCommand(options(), tc.ctx, 'xmrig');
    await cleanupXmrigRun(tc.ctx);
    expect(await readdir(tc.dataDir)).toEqual([]);
    await cleanupXmrigRun(tc.ctx); // idempotent

    const other = await createTestContext();
    try {
      await buildXmrigCommand(options(), other.ctx, 'xmrig');
      const gone = new Promise<void>((resolve) => {
        const check = async () =>
          (await readdir(other.dataDir)).length === 0 ? resolve() : setImmediate(check);
        other.ctx.signal.addEventListener('abort', () => void check(), { once: true });
      });
      other.end(); // e.g. xmrig died while starting: core ends the run's scope
      await gone;
    } finally {
      await other.dispose();
    }
  });

  it('passes --no-huge-pages and the binary from the options', async () => {
    tc = await createTestContext();
    const spec = await buildXmrigCommand(
      options({ hugePages: false, binary: '/opt/xmrig/xmrig', extraArgs: ['--print-time=10'] }),
      tc.ctx,
      'xmrig',
    );
    expect(spec.file).toBe('/opt/xmrig/xmrig');
    expect(spec.args.slice(2)).toEqual(['--no-color', '--no-huge-pages', '--print-time=10']);
  });
});

describe('buildXmrigCommand failures', () => {
  it('fails with E_PROCESS_SPAWN when the file cannot be written, naming no secret', async () => {
    tc = await createTestContext();
    const blocked = { ...tc.ctx, dataDir: join(tc.dataDir, 'file-not-dir', 'x') };
    await writeFile(join(tc.dataDir, 'file-not-dir'), '');
    const error = await buildXmrigCommand(options(), blocked, 'xmrig').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_PROCESS_SPAWN' });
    expect(render(error)).not.toContain(PASS);
    expect(await readdir(tc.dataDir)).toEqual(['file-not-dir']);
  });

  it('removes the file and refuses when the run already ended', async () => {
    tc = await createTestContext();
    tc.end();
    await expect(buildXmrigCommand(options(), tc.ctx, 'xmrig')).rejects.toMatchObject({
      code: 'E_ABORTED',
    });
    expect(await readdir(tc.dataDir)).toEqual([]);
  });
});

describe('buildXmrigCommand without a config file', () => {
  it('passes everything as flags and warns, without logging the secrets', async () => {
    const logger = createCapturingLogger();
    tc = await createTestContext({ logger });
    const spec = await buildXmrigCommand(options({ useConfigFile: false }), tc.ctx, 'xmrig');
    const token = tc.ctx.session.token as string;
    expect(spec.args).toContain(PASS); // documented: visible in /proc/<pid>/cmdline
    expect(spec.args.slice(spec.args.indexOf('--http-access-token'))[1]).toBe(token);
    expect(tc.ctx.session.configFile).toBeUndefined();
    expect(await readdir(tc.dataDir)).toEqual([]);
    expect(logger.calls.some((c) => c.level === 'warn')).toBe(true);
    expect(logger.text()).not.toContain(PASS);
    expect(logger.text()).not.toContain(token);
  });
});
