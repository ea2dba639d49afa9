// The adapter's parsers over every captured fixture of a real xmrig 6.26.0, and over the
// output of `rigkit-sim-xmrig` — the simulator must pass the same parsers as the real thing.
//
// The oracle for stdout is @rigkit/testkit's catalogue of xmrig line shapes
// (`XMRIG_LINE_SHAPES`): each shape says which event `parseXmrigLine` must give for it. Every
// fixture line and every simulator line has a shape, so the check is total.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleProblems } from '@rigkit/testkit';
import {
  type CryptoNotePool,
  matchXmrigLine,
  startCryptoNotePool,
  startXmrigSimulator,
  XMRIG_LINE_SHAPES,
  type XmrigSimulatorProcess,
} from '@rigkit/testkit/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsToDevices } from '../api/backends-to-devices.js';
import { FieldReader } from '../api/field-reader.js';
import { summaryToSample } from '../api/summary-to-sample.js';
import { XmrigApiClient } from '../api/xmrig-api-client.js';
import { toXmrigConfig } from '../command/to-xmrig-config.js';
import { xmrigOptionsSchema } from '../options/xmrig-options.js';
import { parseXmrigLine, type XmrigEventType } from '../stdout/parse-xmrig-line.js';
import { stripAnsi } from '../stdout/strip-ansi.js';
import { fixtureJson, fixtureNames, fixtureText } from '../test-support/fixtures.js';
import { EVENT_TIMEOUT_MS, simArgs } from './sim-harness.js';

type Expected = XmrigEventType | undefined | ((plain: string) => XmrigEventType | undefined);

/** What `parseXmrigLine` must make of each line shape xmrig prints. */
const EXPECTED: Record<string, Expected> = {
  'banner ABOUT': undefined,
  'banner LIBS': undefined,
  'banner HUGE PAGES': undefined,
  'banner 1GB PAGES': undefined,
  'banner CPU': undefined,
  'banner CPU cache': undefined,
  'banner MEMORY': undefined,
  'banner DONATE': undefined,
  'banner ASSEMBLY': undefined,
  'banner POOL': undefined,
  'banner COMMANDS': undefined,
  'banner HTTP API': undefined,
  'net use pool': 'pool.connected',
  'net fingerprint': undefined,
  'net new job': 'job',
  'net pool error': 'pool.error',
  // A dropped connection (read/write) is a disconnect; connect, DNS, TLS and job errors are not.
  'net socket error': (plain) =>
    / (?:read|write) error: /.test(plain) ? 'pool.disconnected' : 'pool.error',
  'net JSON decode failed': 'error',
  'net no active pools': 'pool.disconnected',
  'net no results': undefined,
  'net results': undefined,
  'net best results': undefined,
  'net no connection': undefined,
  'net connection': undefined,
  'cpu argon2': undefined,
  'cpu profile': undefined,
  'cpu READY': 'ready',
  'cpu accepted': 'share.accepted',
  'cpu rejected': 'share.rejected',
  'cpu stopped': undefined,
  'msr no module': undefined,
  'msr failed': 'error',
  'randomx init': undefined,
  'randomx light': undefined,
  'randomx slow mode': 'error',
  'randomx allocated': undefined,
  'randomx ready': undefined,
  'miner speed': 'speed',
  'miner paused': 'paused',
  'miner resumed': 'resumed',
  'bench start': undefined,
  'bench progress': undefined,
  'bench finished': undefined,
  'bench press Ctrl+C': undefined,
  'signal exiting': 'exiting',
  'config unable to open': 'error',
  'config parse error': 'error',
  'http bind error': 'error',
  // xmrig logs every request answered ≥ 400 (and, with --verbose, the others too).
  'access log': (plain) => (/ [45]\d\d \d+ \d+ms "/.test(plain) ? 'http.error' : undefined),
  'hashrate table header': undefined,
  'hashrate table row': undefined,
};

/**
 * Checks every line against the oracle and returns the event types seen. A line without a
 * shape fails the test (xmrig would not print it).
 */
function checkLines(lines: readonly string[], source: string): Set<string> {
  const types = new Set<string>();
  for (const line of lines) {
    if (line.trim() === '') continue;
    const shape = matchXmrigLine(line);
    expect(shape, `${source}: a line xmrig would not print: ${JSON.stringify(line)}`).toBeDefined();
    const rule = EXPECTED[shape?.name as string];
    const expected = typeof rule === 'function' ? rule(stripAnsi(line)) : rule;
    const event = parseXmrigLine(line);
    expect(event?.type, `${source}: ${shape?.name}: ${JSON.stringify(line)}`).toBe(expected);
    if (event) {
      types.add(event.type);
      checkEventData(event.type, event.data ?? {}, line);
    }
  }
  return types;
}

/** Numbers in events are finite (H/s, counts); share totals are integers. */
function checkEventData(type: string, data: Record<string, unknown>, line: string): void {
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'number') expect(Number.isFinite(value), `${key} in ${line}`).toBe(true);
  }
  if (type === 'share.accepted' || type === 'share.rejected') {
    expect(Number.isInteger(data.accepted) && Number.isInteger(data.rejected), line).toBe(true);
  }
  if (type === 'speed') {
    for (const key of ['h10', 'h60', 'h15m', 'max']) {
      const value = data[key];
      expect(value === undefined || (typeof value === 'number' && value >= 0), line).toBe(true);
    }
  }
}

/** Every value's type, recursively: `{ http: { port: 'number' } }`. */
function typeTree(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeTree(v)]));
  }
  return typeof value;
}

describe('the parsers over every captured xmrig fixture', () => {
  it('the shape catalogue and the oracle cover each other', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(XMRIG_LINE_SHAPES.map((s) => s.name).sort());
  });

  it('covers every fixture file: stdout, summaries, backends, config, dmi', () => {
    const checked = fixtureNames().filter((name) =>
      /^(?:stdout.*\.txt|[12]_summary.*\.json|2_backends.*\.json|2_config\.json)$/.test(name),
    );
    // /2/dmi (hardware inventory) is not read by the adapter.
    expect(fixtureNames().filter((name) => !checked.includes(name))).toEqual(['2_dmi.json']);
  });

  it('stdout: every line gives the event its shape calls for', () => {
    const types = new Set<string>();
    for (const name of fixtureNames().filter((n) => n.startsWith('stdout'))) {
      for (const type of checkLines(fixtureText(name).split('\n'), name)) types.add(type);
    }
    expect([...types].sort()).toEqual(
      [
        'error',
        'exiting',
        'http.error',
        'job',
        'pool.connected',
        'pool.disconnected',
        'pool.error',
        'paused',
        'ready',
        'resumed',
        'share.accepted',
        'share.rejected',
        'speed',
      ].sort(),
    );
  });

  it('/1/summary and /2/summary: valid samples in H/s, no warnings', () => {
    for (const name of fixtureNames().filter((n) => /^[12]_summary/.test(n))) {
      const sample = summaryToSample(fixtureJson(name));
      expect(sampleProblems(sample), name).toEqual([]);
      expect(sample.warnings, name).toBeUndefined();
    }
  });

  it('/2/backends: one row per thread with a unique id, no warnings', () => {
    for (const name of fixtureNames().filter((n) => n.startsWith('2_backends'))) {
      const reader = new FieldReader();
      const devices = backendsToDevices(fixtureJson(name), reader) ?? [];
      expect(reader.warnings, name).toEqual([]);
      expect(new Set(devices.map((d) => d.id)).size, name).toBe(devices.length);
      expect(sampleProblems({ time: Date.now(), hashrate: undefined, devices }), name).toEqual([]);
    }
  });

  it('/2/config: the config file the adapter writes uses xmrig’s keys with xmrig’s types', () => {
    const real = typeTree(fixtureJson('2_config.json')) as Record<string, unknown>;
    const options = xmrigOptionsSchema.parse({
      pools: [{ url: 'pool:3333', user: 'w', pass: 'x' }],
      threads: 1,
      cpuPriority: 2,
    });
    const ours = typeTree(
      toXmrigConfig(options, { host: '127.0.0.1', port: 1, token: 't' }),
    ) as Record<string, unknown>;
    // /2/config leaves out the pools and the donate level; everything else must match.
    expect(Object.keys(ours).filter((k) => !(k in real))).toEqual(['donate-level', 'pools']);
    for (const [key, type] of Object.entries(ours)) {
      if (!(key in real)) continue;
      if (typeof type === 'object' && type !== null) {
        for (const [inner, innerType] of Object.entries(type)) {
          expect((real[key] as Record<string, unknown>)[inner], `${key}.${inner}`).toEqual(
            innerType,
          );
        }
      } else if (real[key] !== 'null') {
        expect(real[key], key).toBe(type);
      }
    }
  });
});

const linux = process.platform === 'linux';

describe.runIf(linux)(
  'the simulator’s output through the same parsers',
  { timeout: 30_000 },
  () => {
    const TOKEN = 'sim-parsers-token';
    // Checks results against the target, so the simulator's bad ones (--sim-reject-rate) are
    // rejected. Small difficulty: many shares, so rejected ones show up quickly.
    let pool: CryptoNotePool;
    let refusing: CryptoNotePool;
    let dir: string;
    const sims: XmrigSimulatorProcess[] = [];

    beforeAll(async () => {
      pool = await startCryptoNotePool({ difficulty: 1000 });
      refusing = await startCryptoNotePool({ rejectPassword: 'bad' });
      dir = await mkdtemp(join(tmpdir(), 'rigkit-xmrig-parsers-'));
    });
    afterAll(async () => {
      await Promise.all(sims.map((sim) => sim.stop()));
      await pool?.close();
      await refusing?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const start = async (args: string[]) => {
      const sim = await startXmrigSimulator(args);
      sims.push(sim);
      return sim;
    };
    const wait = (sim: XmrigSimulatorProcess, pattern: RegExp) =>
      sim.waitForLine(pattern, { since: 'start', timeoutMs: EVENT_TIMEOUT_MS });

    it('mining on a pool: shares, jobs, speed, keys, API access log, exit', async () => {
      const sim = await start([
        ...simArgs(31, '--sim-reject-rate', '0.3'),
        '-o',
        pool.url,
        '-u',
        'wallet',
        '-k',
        '--http-access-token',
        TOKEN,
        '--verbose',
        '--no-huge-pages',
      ]);
      await wait(sim, /cpu +rejected \(/);
      await wait(sim, /cpu +accepted \(/);
      await wait(sim, /miner +speed 10s\/60s\/15m \d/); // the 10 s window filled
      for (const [key, pattern] of [
        ['h', /\| +1 \| +-?\d+ \|/],
        ['s', /net +results accepted/],
        ['c', /net +pool \S+ ip/],
        ['p', /miner +paused/],
        ['r', /miner +resumed/],
      ] as const) {
        const seen = sim.waitForLine(pattern, { timeoutMs: EVENT_TIMEOUT_MS });
        sim.write(key);
        await seen;
      }
      // Three requests, logged by xmrig: 401 (no token), 403 (wrong token), 200 (--verbose).
      const port = sim.port as number;
      const never = new AbortController().signal;
      await new XmrigApiClient({ port }).summary(never).catch(() => {});
      await new XmrigApiClient({ port, token: 'wrong' }).summary(never).catch(() => {});
      await new XmrigApiClient({ port, token: TOKEN }).summary(never);
      await wait(sim, / 200 \d+ \d+ms "/);

      const exit = sim.waitForLine(/cpu +stopped/, { timeoutMs: EVENT_TIMEOUT_MS });
      await sim.stop();
      await exit.catch(() => {}); // the line may come with the last chunk before stdout closes
      const types = checkLines(sim.lines, 'simulator on a pool');
      for (const type of [
        'pool.connected',
        'job',
        'ready',
        'share.accepted',
        'share.rejected',
        'speed',
        'paused',
        'resumed',
        'http.error',
        'exiting',
      ]) {
        expect(types, type).toContain(type);
      }
      const rejected = sim.lines.map(parseXmrigLine).find((e) => e?.type === 'share.rejected');
      expect(rejected?.data).toMatchObject({
        diff: 1000,
        backend: 'cpu',
        reason: 'Low difficulty share',
      });
      expect(pool.stats().rejected).toBeGreaterThan(0);
    });

    it('its /1/summary, /2/summary and /2/backends map to valid samples without warnings', async () => {
      const sim = await start([
        ...simArgs(32, '--sim-reject-rate', '0.2'),
        '-o',
        pool.url,
        '-u',
        'wallet',
        '--http-access-token',
        TOKEN,
        '--no-color',
      ]);
      const client = new XmrigApiClient({ port: sim.port as number, token: TOKEN });
      const never = new AbortController().signal;
      // Before the first job the summary has no hashrate and UINT64_MAX as difficulty: no
      // warnings either.
      const early = summaryToSample(await client.summary(never));
      expect(sampleProblems(early)).toEqual([]);
      expect(early.warnings).toBeUndefined();

      // The 60 s window fills after 61 simulated seconds (about 3 s here).
      await wait(sim, /miner +speed 10s\/60s\/15m \d+\.\d+ \d+\.\d+ /);
      const sample = summaryToSample(await client.summary(never));
      expect(sampleProblems(sample)).toEqual([]);
      expect(sample.warnings).toBeUndefined();
      for (const key of ['hashrate', 'hashrate10s', 'hashrate60s'] as const) {
        expect(sample[key], key).toBeGreaterThan(0);
      }
      expect(sample.hashrate15m).toBeUndefined(); // 15 simulated minutes are still to come
      expect(sample.shares?.accepted).toBeGreaterThan(0);
      expect(sample.shares?.rejected).toBeGreaterThan(0);
      expect(sample).toMatchObject({ pool: pool.url, algo: 'rx/0', difficulty: 1000 });

      const reader = new FieldReader();
      const devices = backendsToDevices(await client.backends(never), reader);
      expect(reader.warnings).toEqual([]);
      expect(devices?.map((d) => d.id)).toEqual(['cpu:0', 'cpu:1']);
      for (const device of devices ?? []) expect(device.hashrate).toBeGreaterThan(0);

      const v1 = summaryToSample(await client.getJson('/1/summary', never));
      expect(sampleProblems(v1)).toEqual([]);
      expect(v1.warnings).toBeUndefined();
      expect(v1.hashrate).toBeGreaterThan(0);
      await sim.stop();
    });

    it('pool failures: connect error, login refused, dropped connection', async () => {
      const doomed = await startCryptoNotePool();
      const sim = await start([
        ...simArgs(33),
        '--no-color',
        '--retries',
        '1',
        '--retry-pause',
        '1',
        '-o',
        '127.0.0.1:1', // nothing listens on port 1
        '-u',
        'wallet',
        '-o',
        refusing.url,
        '-u',
        'wallet',
        '-p',
        'bad',
        '-o',
        doomed.url,
        '-u',
        'wallet',
      ]);
      await wait(sim, new RegExp(`use pool ${doomed.url}`));
      const dropped = sim.waitForLine(/read error/, { timeoutMs: EVENT_TIMEOUT_MS });
      await doomed.close();
      await dropped;
      await sim.stop();
      const types = checkLines(sim.lines, 'simulator with failing pools');
      for (const type of ['pool.error', 'pool.disconnected', 'pool.connected', 'exiting']) {
        expect(types, type).toContain(type);
      }
      const events = sim.lines.map(parseXmrigLine);
      expect(events.find((e) => e?.data?.kind === 'connect')?.data).toMatchObject({
        pool: '127.0.0.1:1',
        message: 'connection refused',
      });
      expect(
        events.find((e) => e?.type === 'pool.error' && e.data?.code === -1)?.data,
      ).toMatchObject({ pool: refusing.url, message: 'Invalid payment address provided' });
    });

    it('benchmark mode and config files xmrig cannot use', async () => {
      const badJson = join(dir, 'bad.json');
      await writeFile(badJson, '{"pools": [');
      const missing = join(dir, 'missing.json');
      const [bench, unreadable, broken] = await Promise.all([
        start([...simArgs(34), '--sim-hashrate', '1000000', '--bench', '1M', '--no-color']),
        start([...simArgs(35), '--config', missing, '--no-color']),
        start([...simArgs(36), '--config', badJson, '--no-color']),
      ]);
      await wait(bench, /bench +benchmark finished/);
      await wait(unreadable, /config +unable to open/);
      await wait(broken, /config +.*<offset:\d+>/);
      await Promise.all([bench.stop(), unreadable.stop(), broken.stop()]);
      const types = new Set<string>();
      for (const [sim, what] of [
        [bench, 'bench'],
        [unreadable, 'missing config'],
        [broken, 'broken config'],
      ] as const) {
        for (const type of checkLines(sim.lines, what)) types.add(type);
      }
      expect(types).toContain('error');
      for (const sim of [unreadable, broken]) {
        expect(parseXmrigLine(sim.lines[0] as string)).toMatchObject({
          type: 'error',
          data: { tag: 'config' },
        });
      }
    });
  },
);
