import { readFileSync } from 'node:fs';
import { assertAdapter, isRigkitError, RigkitError } from '@rigkit/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { xmrigOptionsSchema } from '../options/xmrig-options.js';
import { createCapturingLogger, render } from '../test-support/capturing-logger.js';
import { fixtureText } from '../test-support/fixtures.js';
import { type LocalServer, startLocalServer } from '../test-support/local-server.js';
import { createTestContext, type TestContext } from '../test-support/test-context.js';
import { createXmrigAdapter, xmrigAdapter } from './create-xmrig-adapter.js';

const PASS = 'SENTINEL-PASS-9f3a';
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const options = xmrigOptionsSchema.parse({
  pools: [{ url: 'pool.example:3333', user: 'wallet', pass: PASS }],
});

let server: LocalServer;
let tc: TestContext | undefined;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await tc?.dispose();
  tc = undefined;
});

/** A context whose run was "launched": command() ran and chose the test server's port. */
async function launched() {
  const logger = createCapturingLogger();
  tc = await createTestContext({ logger, port: server.port });
  await xmrigAdapter.command?.(options, tc.ctx);
  const token = tc.ctx.session.token as string;
  return { ctx: tc.ctx, logger, token };
}

/** Answers like xmrig with `token` configured (401 without header, 403 on a wrong one). */
function xmrigLike(token: string, routes: Record<string, () => [number, string]>) {
  server.handle((req, res) => {
    const auth = req.headers.authorization;
    if (auth === undefined)
      return void res.writeHead(401).end('{"status": 401, "error": "UNAUTHORIZED"}');
    if (auth !== `Bearer ${token}`)
      return void res.writeHead(403).end('{"status": 403, "error": "FORBIDDEN"}');
    const route = routes[req.url ?? ''];
    if (!route) return void res.writeHead(404).end('{"status": 404, "error": "NOT_FOUND"}');
    const [status, body] = route();
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
}

const signal = () => new AbortController().signal;

describe('the xmrig adapter object', () => {
  it('is a valid adapter for this core, versioned like its package', () => {
    expect(() => assertAdapter(xmrigAdapter)).not.toThrow();
    expect(xmrigAdapter.apiVersion).toBe(1);
    expect(xmrigAdapter.kind).toBe('xmrig');
    expect(xmrigAdapter.meta).toEqual({ name: pkg.name, version: pkg.version, core: '^0.1.0' });
    expect(xmrigAdapter.supervision).toEqual({ warmupMs: 60_000 });
    expect(typeof xmrigAdapter.cleanup).toBe('function');
  });

  it('takes the default binary from the factory, options.binary winning', async () => {
    tc = await createTestContext();
    const sim = createXmrigAdapter({ binary: 'rigkit-sim-xmrig' });
    expect((await sim.command?.(options, tc.ctx))?.file).toBe('rigkit-sim-xmrig');
    await sim.cleanup?.(options, tc.ctx);
    const own = xmrigOptionsSchema.parse({ ...options, binary: '/opt/xmrig' });
    expect((await sim.command?.(own, tc.ctx))?.file).toBe('/opt/xmrig');
  });
});

describe('probe()', () => {
  it('is ready and healthy when /2/summary answers, with the hashrate in H/s', async () => {
    const { ctx, token } = await launched();
    xmrigLike(token, { '/2/summary': () => [200, fixtureText('2_summary.json')] });
    expect(await xmrigAdapter.probe(options, ctx, signal())).toEqual({
      healthy: true,
      ready: true,
      hashrate: 21.75,
    });
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${token}`);
  });

  it('leaves the hashrate out when xmrig has none yet', async () => {
    const { ctx, token } = await launched();
    xmrigLike(token, { '/2/summary': () => [200, fixtureText('2_summary_unrestricted.json')] });
    expect(await xmrigAdapter.probe(options, ctx, signal())).toEqual({
      healthy: true,
      ready: true,
    });
  });

  it('reports a rejected token without the token', async () => {
    const { ctx, logger, token } = await launched();
    xmrigLike('another-token', { '/2/summary': () => [200, '{}'] });
    const report = await xmrigAdapter.probe(options, ctx, signal());
    expect(report).toEqual({
      healthy: false,
      ready: false,
      message: 'API rejected the access token',
    });
    expect(logger.text()).not.toContain(token);
  });

  it('reports error statuses and garbage as unhealthy, and throws while nothing listens', async () => {
    const { ctx, token } = await launched();
    xmrigLike(token, { '/2/summary': () => [500, 'oops'] });
    expect(await xmrigAdapter.probe(options, ctx, signal())).toMatchObject({
      healthy: false,
      ready: false,
    });
    xmrigLike(token, { '/2/summary': () => [200, '[1,2,3]'] });
    expect(await xmrigAdapter.probe(options, ctx, signal())).toMatchObject({ healthy: false });

    await tc?.dispose(); // the launched run's context, before it is replaced
    tc = await createTestContext();
    await xmrigAdapter.command?.(options, tc.ctx); // a free port nobody listens on
    await expect(xmrigAdapter.probe(options, tc.ctx, signal())).rejects.toMatchObject({
      code: 'E_API_UNREACHABLE',
    });
  });

  it('throws before command() ran (core keeps waiting)', async () => {
    tc = await createTestContext();
    await expect(xmrigAdapter.probe(options, tc.ctx, signal())).rejects.toMatchObject({
      code: 'E_API_UNREACHABLE',
    });
  });
});

describe('stats()', () => {
  it('merges /2/summary and /2/backends into one sample', async () => {
    const { ctx, token } = await launched();
    xmrigLike(token, {
      '/2/summary': () => [200, fixtureText('2_summary_pool_job_mode.json')],
      '/2/backends': () => [200, fixtureText('2_backends_pool_job_mode.json')],
    });
    const sample = await xmrigAdapter.stats?.(options, ctx, signal());
    expect(sample).toMatchObject({
      hashrate: 18.55,
      hashrate10s: 18.55,
      shares: { accepted: 5, rejected: 2 },
      difficulty: 100,
      pool: '127.0.0.1:13333',
      algo: 'rx/0',
      uptimeSeconds: 35,
      devices: [{ id: 'cpu:0', name: 'cpu thread 0', hashrate: 18.55 }],
    });
    expect(sample?.warnings).toBeUndefined();
    expect(Math.abs((sample?.time ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(
      server.requests
        .slice(-2)
        .map((r) => r.url)
        .sort(),
    ).toEqual(['/2/backends', '/2/summary']);
  });

  it('returns the summary with a warning when /2/backends fails', async () => {
    const { ctx, token } = await launched();
    xmrigLike(token, {
      '/2/summary': () => [200, fixtureText('2_summary.json')],
      '/2/backends': () => [500, 'nope'],
    });
    const sample = await xmrigAdapter.stats?.(options, ctx, signal());
    expect(sample?.hashrate).toBe(21.75);
    expect(sample?.devices).toBeUndefined();
    expect(sample?.warnings).toEqual([
      '/2/backends failed (E_API_RESPONSE): per-thread rows left out',
    ]);
  });

  it('throws the typed error when /2/summary fails', async () => {
    const { ctx, token } = await launched();
    xmrigLike(token, { '/2/backends': () => [200, '[]'] });
    await expect(xmrigAdapter.stats?.(options, ctx, signal())).rejects.toMatchObject({
      code: 'E_API_RESPONSE',
    });
  });

  it('logs once per run when xmrig raised the donate level (never changed silently)', async () => {
    const { ctx, logger, token } = await launched();
    xmrigLike(token, {
      '/2/summary': () => [200, fixtureText('2_summary_pool_job_mode.json')], // donate_level 1
      '/2/backends': () => [200, '[]'],
    });
    await xmrigAdapter.stats?.(options, ctx, signal());
    await xmrigAdapter.stats?.(options, ctx, signal());
    const warned = logger.calls.filter((c) => String(c.msg).includes('donate level'));
    expect(warned).toHaveLength(1);
    expect(warned[0]?.obj).toEqual({ requested: 0, reported: 1 });
  });
});

describe('secrets', () => {
  it('never reach logs or errors: 401, 403, 500, garbage, slow, refused', async () => {
    const { ctx, logger, token } = await launched();
    const errors: unknown[] = [];
    const reports: unknown[] = [];
    const scenarios: [string, () => void][] = [
      [
        '401',
        () =>
          server.handle((_q, r) => r.writeHead(401).end(`{"token":"${token}","pass":"${PASS}"}`)),
      ],
      ['403', () => server.handle((_q, r) => r.writeHead(403).end(`{"token":"${token}"}`))],
      ['500', () => server.handle((_q, r) => r.writeHead(500).end(`${token} ${PASS}`))],
      ['garbage', () => server.handle((_q, r) => r.end(`not json ${token} ${PASS}`))],
      ['huge', () => server.handle((_q, r) => r.end(`"${token}${'x'.repeat(2 * 1024 * 1024)}"`))],
    ];
    for (const [, install] of scenarios) {
      install();
      for (const call of [
        () => xmrigAdapter.probe(options, ctx, signal()),
        () => xmrigAdapter.stats?.(options, ctx, signal()) as Promise<unknown>,
      ]) {
        await call().then(
          (r) => reports.push(r),
          (e: unknown) => errors.push(e),
        );
      }
    }
    // Slow: core aborts with its timeout error.
    server.handle(() => {});
    const controller = new AbortController();
    const arrived = server.nextRequest();
    const slow = xmrigAdapter.probe(options, ctx, controller.signal).catch((e: unknown) => e);
    await arrived;
    controller.abort(new RigkitError('E_API_TIMEOUT', 'health probe did not answer within 5 ms'));
    const timedOut = await slow;
    expect(isRigkitError(timedOut) && timedOut.code).toBe('E_API_TIMEOUT');
    errors.push(timedOut);

    expect(errors.length + reports.length).toBeGreaterThan(10);
    const everything = [
      render(errors),
      JSON.stringify(errors),
      render(reports),
      JSON.stringify(reports),
      logger.text(),
    ].join('\n');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(PASS);
  });
});
