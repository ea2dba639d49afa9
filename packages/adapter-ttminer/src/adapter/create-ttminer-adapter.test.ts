import { readFileSync } from 'node:fs';
import {
  assertAdapter,
  isRigkitError,
  RigkitError,
  type Sample,
  validateWithSchema,
} from '@rigkit/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ttminerOptionsSchema } from '../options/ttminer-options.js';
import { TTMINER_LINE_EXAMPLES } from '../stdout/ttminer-line-examples.js';
import { createCapturingLogger, render } from '../test-support/capturing-logger.js';
import { fixtureText } from '../test-support/fixtures.js';
import { answer, type JsonRpcServer, startJsonRpcServer } from '../test-support/json-rpc-server.js';
import { createTestContext, type TestContext } from '../test-support/test-context.js';
import {
  createTtminerAdapter,
  TTMINER_WARMUP_MS,
  ttminerAdapter,
} from './create-ttminer-adapter.js';

const PASS = 'SENTINEL-PASS-9f3a';
const API_PW = 'SENTINEL-API-7c1e';
const FIXTURE = fixtureText('miner_getstat1.json').trim();
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const options = ttminerOptionsSchema.parse({
  pools: [{ url: 'pool.example:4444', user: 'RWallet', pass: PASS }],
  algo: 'kawpow',
  devices: [0, 1],
  apiPassword: API_PW,
});

let server: JsonRpcServer;
let tc: TestContext | undefined;
beforeAll(async () => {
  server = await startJsonRpcServer();
});
afterAll(() => server.close());
afterEach(async () => {
  await tc?.dispose();
  tc = undefined;
});

/** A context whose run was "launched": command() ran and chose the fake server's port. */
async function launched(opts = options) {
  const logger = createCapturingLogger();
  tc = await createTestContext({ logger, port: server.port });
  await ttminerAdapter.command?.(opts, tc.ctx);
  return { ctx: tc.ctx, logger };
}

/** Answers like TT-Miner with `--api-password`: no or a wrong `psw` → a password error. */
function ttminerLike(result: string, password = API_PW) {
  server.handle((line, socket) => {
    const request = JSON.parse(line) as { psw?: string };
    if (request.psw !== password) {
      return void socket.end('{"id":0,"jsonrpc":"2.0","error":"Invalid password"}\n');
    }
    socket.end(`${result}\n`);
  });
}

const signal = () => new AbortController().signal;

describe('the TT-Miner adapter object', () => {
  it('is a valid adapter for this core, versioned like its package, with a 3 min warm-up', () => {
    expect(() => assertAdapter(ttminerAdapter)).not.toThrow();
    expect(ttminerAdapter.apiVersion).toBe(1);
    expect(ttminerAdapter.kind).toBe('ttminer');
    expect(ttminerAdapter.meta).toEqual({ name: pkg.name, version: pkg.version, core: '^0.1.0' });
    expect(ttminerAdapter.supervision).toEqual({ warmupMs: 180_000 });
    expect(TTMINER_WARMUP_MS).toBe(180_000);
    expect(ttminerAdapter.runner).toBeUndefined();
  });

  it('takes the default binary from the factory, options.binary winning', async () => {
    tc = await createTestContext();
    const sim = createTtminerAdapter({ binary: 'rigkit-sim-ttminer' });
    expect((await sim.command?.(options, tc.ctx))?.file).toBe('rigkit-sim-ttminer');
    const own = ttminerOptionsSchema.parse({
      pools: [{ url: 'p:1', user: 'w' }],
      algo: 'A',
      binary: '/opt/tt/TT-Miner',
    });
    expect((await sim.command?.(own, tc.ctx))?.file).toBe('/opt/tt/TT-Miner');
  });

  it('validates options through core with every issue by path', async () => {
    const error = await validateWithSchema(
      ttminerAdapter.options,
      { pools: [{ url: 'p:1', user: 'w' }], algo: 'KAWPOW', extraArgs: ['-logpool'] },
      'options for ttminer',
    ).catch((e: unknown) => e);
    expect(isRigkitError(error) && error.code).toBe('E_CONFIG_INVALID');
    expect(isRigkitError(error) && error.details?.issues).toEqual([
      {
        path: 'extraArgs.0',
        message: '"-logpool" is not an allowed extra argument (see EXTRA_ARG_RULES)',
      },
    ]);
  });

  it('parses lines with parseTtminerLine', () => {
    expect(ttminerAdapter.parseLine?.(TTMINER_LINE_EXAMPLES.shareAccepted, 'stdout')).toMatchObject(
      { type: 'share.accepted' },
    );
    expect(ttminerAdapter.parseLine?.('nothing to see', 'stderr')).toBeUndefined();
  });
});

describe('probe()', () => {
  it('is ready and healthy when the API answers, with the total hashrate in H/s', async () => {
    const { ctx } = await launched();
    ttminerLike(FIXTURE);
    expect(await ttminerAdapter.probe(options, ctx, signal())).toEqual({
      healthy: true,
      ready: true,
      hashrate: 29_191,
    });
    expect(JSON.parse(server.lines.at(-1) as string)).toMatchObject({ psw: API_PW });
  });

  it('is ready at 0 H/s (TT-Miner before its first share), and without a hashrate', async () => {
    const { ctx } = await launched();
    ttminerLike(
      '{"id":0,"result":["TT-Miner/2024.3.2","0","0;0;0","0;0","0;0;0","off;off","40;30;41;30","p:1","0;0;0;0"]}',
    );
    expect(await ttminerAdapter.probe(options, ctx, signal())).toEqual({
      healthy: true,
      ready: true,
      hashrate: 0,
    });
    ttminerLike('{"id":0,"result":["TT-Miner/2024.3.2","0","off;0;0"]}');
    expect(await ttminerAdapter.probe(options, ctx, signal())).toEqual({
      healthy: true,
      ready: true,
    });
  });

  it('reports a refused API password without the password', async () => {
    const { ctx, logger } = await launched();
    ttminerLike(FIXTURE, 'another-password');
    expect(await ttminerAdapter.probe(options, ctx, signal())).toEqual({
      healthy: false,
      ready: false,
      message: 'API rejected the API password',
    });
    expect(logger.text()).not.toContain(API_PW);
  });

  it('reports unusable answers as unhealthy, and throws while nothing listens', async () => {
    const { ctx } = await launched();
    server.handle(answer('not json'));
    expect(await ttminerAdapter.probe(options, ctx, signal())).toMatchObject({
      healthy: false,
      ready: false,
    });
    server.handle(answer('{"id":0,"result":"nope"}'));
    expect(await ttminerAdapter.probe(options, ctx, signal())).toMatchObject({ healthy: false });

    tc = await createTestContext();
    await ttminerAdapter.command?.(options, tc.ctx); // a free port nobody listens on
    await expect(ttminerAdapter.probe(options, tc.ctx, signal())).rejects.toMatchObject({
      code: 'E_API_UNREACHABLE',
    });
  });

  it('throws before command() ran (core keeps waiting)', async () => {
    tc = await createTestContext();
    await expect(ttminerAdapter.probe(options, tc.ctx, signal())).rejects.toMatchObject({
      code: 'E_API_UNREACHABLE',
    });
  });
});

describe('stats()', () => {
  it('maps the answer with the launched algorithm and device ids', async () => {
    const launchedOptions = ttminerOptionsSchema.parse({
      ...options,
      algo: 'progpow',
      devices: [3, 1],
    });
    const { ctx } = await launched(launchedOptions);
    ttminerLike(FIXTURE);
    // The algorithm comes from what was launched, even if options change later.
    const sample = (await ttminerAdapter.stats?.(options, ctx, signal())) as Sample;
    expect(sample).toMatchObject({
      hashrate: 29_191,
      shares: { accepted: 54, rejected: 0, invalid: 0 },
      pool: 'pool.example:4444',
      algo: 'PROGPOW',
      uptimeSeconds: 2880,
      devices: [
        { id: 'gpu:3', hashrate: 14_683, temperatureC: 53, fanPercent: 90 },
        { id: 'gpu:1', hashrate: 14_508, temperatureC: 50, fanPercent: 90 },
      ],
    });
    expect(sample.warnings).toBeUndefined();
    expect(Math.abs(sample.time - Date.now())).toBeLessThan(60_000);
  });

  it('throws the typed error of an unusable answer', async () => {
    const { ctx } = await launched();
    server.handle(answer('{"id":0,"error":{"code":-1,"message":"internal"}}'));
    await expect(ttminerAdapter.stats?.(options, ctx, signal())).rejects.toMatchObject({
      code: 'E_API_RESPONSE',
    });
  });
});

describe('secrets', () => {
  it('never reach logs, errors or reports: password error, garbage, huge, refused, slow', async () => {
    const { ctx, logger } = await launched();
    const errors: unknown[] = [];
    const reports: unknown[] = [];
    const scenarios: (() => void)[] = [
      () => ttminerLike(FIXTURE, 'other'),
      () => server.handle(answer(`not json ${API_PW} ${PASS}`)),
      () => server.handle(answer(`{"error":"bad psw ${API_PW}"}`)),
      () => server.handle(answer(`"${API_PW}${'x'.repeat(70 * 1024)}"`)),
      () => server.handle((_line, socket) => socket.end()),
    ];
    for (const install of scenarios) {
      install();
      for (const call of [
        () => ttminerAdapter.probe(options, ctx, signal()),
        () => ttminerAdapter.stats?.(options, ctx, signal()) as Promise<unknown>,
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
    const arrived = server.nextLine();
    const slow = ttminerAdapter.probe(options, ctx, controller.signal).catch((e: unknown) => e);
    await arrived;
    controller.abort(new RigkitError('E_API_TIMEOUT', 'health probe did not answer within 5 ms'));
    const timedOut = await slow;
    expect(isRigkitError(timedOut) && timedOut.code).toBe('E_API_TIMEOUT');
    errors.push(timedOut);

    expect(errors.length + reports.length).toBe(11);
    const everything = [
      render(errors),
      JSON.stringify(errors),
      render(reports),
      JSON.stringify(reports),
      logger.text(),
    ].join('\n');
    expect(everything).not.toContain(API_PW);
    expect(everything).not.toContain(PASS);
  });
});
