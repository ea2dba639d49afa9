import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ttminerOptionsSchema } from '../options/ttminer-options.js';
import { createCapturingLogger, render } from '../test-support/capturing-logger.js';
import { createTestContext, type TestContext } from '../test-support/test-context.js';
import { buildTtminerCommand, TTMINER_GRACE_MS } from './build-ttminer-command.js';

const PASS = 'SENTINEL-PASS-9f3a';
const API_PW = 'SENTINEL-API-7c1e';
const options = (extra: Record<string, unknown> = {}) =>
  ttminerOptionsSchema.parse({
    pools: [
      { url: 'stratum+tcp://pool.example:4444', user: 'RWallet', worker: 'rig1', pass: PASS },
      { url: 'backup.example:4444', user: 'RWallet', pass: 'x' },
    ],
    algo: 'kawpow',
    ...extra,
  });

let tc: TestContext | undefined;
afterEach(async () => {
  await tc?.dispose();
  tc = undefined;
});

describe('buildTtminerCommand', () => {
  it('binds the API to 127.0.0.1 on a free port and records the run in the session', async () => {
    tc = await createTestContext();
    const spec = await buildTtminerCommand(options({ devices: [1, 3] }), tc.ctx, 'TT-Miner');
    const { port, algo, devices } = tc.ctx.session;
    expect(port).toBeGreaterThan(0);
    expect(algo).toBe('KAWPOW');
    expect(devices).toEqual([1, 3]);
    expect(spec).toEqual({
      file: 'TT-Miner',
      args: [
        '-a',
        'KAWPOW',
        '-P',
        `stratum+tcp://RWallet.rig1:${PASS}@pool.example:4444`,
        '-P',
        'RWallet:x@backup.example:4444',
        '-d',
        '1,3',
        '-b',
        `127.0.0.1:${port}`,
        '-nocolor',
      ],
      stopSignal: 'SIGTERM',
      graceMs: TTMINER_GRACE_MS,
    });
    // Nothing is written: TT-Miner takes everything on its command line.
    expect(await readdir(tc.dataDir)).toEqual([]);
  });

  it('uses a fresh port for every start, and the binary from the options first', async () => {
    tc = await createTestContext();
    const first = await buildTtminerCommand(options(), tc.ctx, 'TT-Miner');
    const other = await createTestContext();
    try {
      const second = await buildTtminerCommand(
        options({ binary: '/opt/tt/TT-Miner' }),
        other.ctx,
        'TT-Miner',
      );
      expect(second.file).toBe('/opt/tt/TT-Miner');
      expect(other.ctx.session.port).not.toBe(tc.ctx.session.port);
      expect(first.file).toBe('TT-Miner');
    } finally {
      await other.dispose();
    }
  });

  it('never logs a pool or API password, but warns that they are on the command line', async () => {
    const logger = createCapturingLogger();
    tc = await createTestContext({ logger });
    const spec = await buildTtminerCommand(
      options({ apiPassword: API_PW, devices: [0] }),
      tc.ctx,
      'TT-Miner',
    );
    expect(spec.args).toContain('--api-password');
    expect(spec.args.join(' ')).toContain(PASS); // documented: visible in /proc/<pid>/cmdline
    expect(logger.calls.length).toBeGreaterThan(0);
    const warning = logger.calls.find((c) => c.level === 'warn');
    expect(warning?.obj).toEqual({ poolPasswords: 1, apiPassword: true });
    expect(logger.text()).not.toContain(PASS);
    expect(logger.text()).not.toContain(API_PW);
    // The session can be dumped without printing the API password.
    expect(tc.ctx.session.apiPassword).toBe(API_PW);
    expect(JSON.stringify(tc.ctx.session)).not.toContain(API_PW);
    expect(render(tc.ctx.session)).not.toContain(API_PW);
  });

  it('does not warn when every pool password is "x" and there is no API password', async () => {
    const logger = createCapturingLogger();
    tc = await createTestContext({ logger });
    await buildTtminerCommand(
      ttminerOptionsSchema.parse({ pools: [{ url: 'p:1', user: 'w', pass: 'x' }], algo: 'A' }),
      tc.ctx,
      'TT-Miner',
    );
    expect(logger.calls.filter((c) => c.level === 'warn')).toEqual([]);
    expect(logger.calls.map((c) => c.msg)).toEqual(['prepared TT-Miner command']);
  });
});
