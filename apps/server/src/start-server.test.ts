import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoLeaks } from '@rigkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from './start-server.js';
import { memoryMiner } from './testing/test-app.js';

describe('startServer', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const base = () => {
    dir = mkdtempSync(join(tmpdir(), 'rigkit-start-'));
    return {
      dataDir: join(dir, 'data'),
      cwd: dir,
      port: 0,
      adapters: [memoryMiner],
      skipConfiguredAdapters: true,
      handleSignals: false,
      logLevel: 'silent',
    };
  };

  it('serves, writes the token (0600) and server.json, autostarts config miners, and releases everything on close', async () => {
    const options = base();
    writeFileSync(
      join(dir, 'rigkit.config.json'),
      JSON.stringify({
        miners: [{ kind: 'memory', name: 'from config', id: 'cfg1', autostart: true }],
      }),
    );
    await expectNoLeaks(async () => {
      const server = await startServer(options);
      const tokenFile = join(options.dataDir, 'api-token');
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(tokenFile, 'utf8').trim()).toBe(server.token);
      const info = JSON.parse(readFileSync(join(options.dataDir, 'server.json'), 'utf8'));
      expect(info.url).toBe(server.url);
      const res = await fetch(`${server.url}/api/v1/miners`, { headers: { connection: 'close' } });
      const body = (await res.json()) as { miners: Array<{ id: string; state: string }> };
      expect(body.miners).toEqual([expect.objectContaining({ id: 'cfg1', state: 'running' })]);
      await server.close();
      expect(existsSync(join(options.dataDir, 'server.json'))).toBe(false);
    });
  });

  it('persists miners and sessions in SQLite and restores them on the next start', async () => {
    const options = base();
    const first = await startServer(options);
    const headers = {
      authorization: `Bearer ${first.token}`,
      'content-type': 'application/json',
      connection: 'close',
    };
    const created = await fetch(`${first.url}/api/v1/miners`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        kind: 'memory',
        name: 'kept',
        id: 'keep1',
        autostart: true,
        options: { hashrate: 77 },
      }),
    });
    expect(created.status).toBe(201);
    await first.manager.get('keep1').start();
    await first.manager.get('keep1').sample();
    await first.close();

    const second = await startServer(options);
    const miner = second.manager.get('keep1');
    expect(miner.state).toBe('running'); // restored and autostarted
    const sessions = (await (
      await fetch(`${second.url}/api/v1/miners/keep1/sessions`, {
        headers: { connection: 'close' },
      })
    ).json()) as { sessions: Array<{ endReason: string | null }> };
    expect(sessions.sessions.map((s) => s.endReason)).toContain('stopped');
    const history = (await (
      await fetch(
        `${second.url}/api/v1/miners/keep1/history?from=${Date.now() - 120_000}&maxPoints=100`,
        { headers: { connection: 'close' } },
      )
    ).json()) as { resolution: string; points: Array<{ hashrate: number | null }> };
    expect(history.resolution).toBe('raw');
    expect(history.points.some((p) => p.hashrate === 77)).toBe(true);
    await second.close();
  });

  it('reuses the token on the next start', async () => {
    const options = base();
    const first = await startServer(options);
    await first.close();
    const second = await startServer(options);
    expect(second.token).toBe(first.token);
    await second.close();
  });

  it('refuses to bind a non-loopback address without auth.token, naming the key', async () => {
    const options = base();
    await expect(startServer({ ...options, host: '0.0.0.0' })).rejects.toMatchObject({
      code: 'E_CONFIG_INVALID',
      issues: [{ path: 'auth.token', message: expect.stringContaining('0.0.0.0') }],
    });
  });

  it('reports every bad config key with its path', async () => {
    const options = base();
    writeFileSync(
      join(dir, 'rigkit.config.json'),
      JSON.stringify({ server: { port: 'x' }, ws: { queueSize: 0 }, nope: true }),
    );
    const error = await startServer(options).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_CONFIG_INVALID' });
    const paths = (error as { issues: Array<{ path: string }> }).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['', 'server.port', 'ws.queueSize']);
  });

  it('reports an unparsable config file by name', async () => {
    const options = base();
    writeFileSync(join(dir, 'rigkit.config.json'), '{ not json');
    await expect(startServer(options)).rejects.toThrow(
      /invalid config file .*rigkit\.config\.json: \(root\): cannot parse/,
    );
  });

  it('loads a TypeScript config file', async () => {
    const options = base();
    writeFileSync(
      join(dir, 'rigkit.config.ts'),
      'const port: number = 0;\nexport default { server: { port }, sampleIntervalMs: 2000 };\n',
    );
    const server = await startServer(options);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await server.close();
  });
});
