// The xmrig adapter end to end with `rigkit-sim-xmrig`: the API token rules (the simulator's
// and the adapter's), a supervised miner mining on a pool (config file, samples, stdin keys,
// stop), no secret on the command line, in pidfiles or in logs — in both launch modes.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManager, isRigkitError, type Manager, type MinerEvent } from '@rigkit/core';
import {
  type CryptoNotePool,
  startCryptoNotePool,
  startXmrigSimulator,
  writeXmrigSimulatorWrapper,
} from '@rigkit/testkit/simulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createXmrigAdapter } from '../adapter/create-xmrig-adapter.js';
import { XmrigApiClient } from '../api/xmrig-api-client.js';
import { xmrigCommands } from '../stdin/xmrig-commands.js';
import { parseXmrigLine } from '../stdout/parse-xmrig-line.js';
import { createCapturingLogger } from '../test-support/capturing-logger.js';
import {
  EVENT_TIMEOUT_MS,
  FAST_SUPERVISION,
  POOL_DIFFICULTY,
  readXmrigConfigs,
  SIM_HASHRATE,
  simArgs,
  waitForMinerEvent,
} from './sim-harness.js';

const PASS = 'SENTINEL-POOL-PASS-e41c9a';
const TOKEN = 'SENTINEL-TOKEN-0d3f57aa91';
const linux = process.platform === 'linux';
const never = () => new AbortController().signal;

let pool: CryptoNotePool;
let root: string;
let manager: Manager | undefined;

beforeAll(async () => {
  pool = await startCryptoNotePool({ difficulty: POOL_DIFFICULTY });
  root = await mkdtemp(join(tmpdir(), 'rigkit-xmrig-e2e-'));
});
afterEach(async () => {
  await manager?.close();
  manager = undefined;
});
afterAll(async () => {
  await pool?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Status of a raw GET, with the given Authorization header (or none). */
async function statusOf(url: string, authorization?: string): Promise<number> {
  const response = await fetch(url, {
    headers: authorization === undefined ? {} : { authorization },
  });
  await response.body?.cancel();
  return response.status;
}

/** Everything core recorded on disk for live children (pidfiles hold their command line). */
async function pidfileTexts(dataDir: string): Promise<string[]> {
  const dir = join(dataDir, 'pids');
  if (!existsSync(dir)) return [];
  return Promise.all((await readdir(dir)).map((f) => readFile(join(dir, f), 'utf8')));
}

describe.runIf(linux)('API token: the simulator answers like xmrig', { timeout: 30_000 }, () => {
  it('401 without a token, 403 with a wrong one, 200 to the adapter’s client', async () => {
    const sim = await startXmrigSimulator([
      ...simArgs(21),
      '--no-color',
      '--http-access-token',
      TOKEN,
    ]);
    try {
      const url = `${sim.apiUrl}/2/summary`;
      const refused = sim.waitForLine(/ 401 \d+ \d+ms /);
      expect(await statusOf(url)).toBe(401);
      const forbidden = sim.waitForLine(/ 403 \d+ \d+ms /);
      expect(await statusOf(url, 'Bearer not-the-token')).toBe(403);
      expect(await statusOf(url, `Bearer ${TOKEN}`)).toBe(200);

      // xmrig logs the refused requests; the adapter's parser turns them into http.error.
      expect(parseXmrigLine(await refused)).toMatchObject({
        type: 'http.error',
        data: { method: 'GET', path: '/2/summary', status: 401 },
      });
      expect(parseXmrigLine(await forbidden)).toMatchObject({
        type: 'http.error',
        data: { status: 403 },
      });

      const port = sim.port as number;
      const summary = (await new XmrigApiClient({ port, token: TOKEN }).summary(never())) as {
        version?: string;
      };
      expect(summary.version).toBe('6.26.0');
      for (const [token, status] of [
        [undefined, 401],
        ['', 401], // the client sends no header for an empty token
        ['wrong', 403],
      ] as const) {
        const client = new XmrigApiClient(token === undefined ? { port } : { port, token });
        const error = await client.summary(never()).catch((e: unknown) => e);
        expect(isRigkitError(error) && error.code).toBe('E_API_AUTH');
        expect(isRigkitError(error) && error.details).toEqual({ status, path: '/2/summary' });
        expect(String(error)).not.toContain(TOKEN);
      }
    } finally {
      await sim.stop();
    }
  });
});

describe.runIf(linux)(
  'a supervised xmrig (rigkit-sim-xmrig) on a pool',
  { timeout: 30_000 },
  () => {
    it('config-file mode: mines, samples, takes stdin keys, stops cleanly, leaks no secret', async () => {
      const logger = createCapturingLogger();
      const binary = await writeXmrigSimulatorWrapper(join(root, 'xmrig'), simArgs(22));
      const dataDir = join(root, 'data-config');
      manager = createManager({
        adapters: [createXmrigAdapter({ binary })],
        dataDir,
        logger,
        sampleIntervalMs: 0,
        monitor: false,
      });
      const miner = await manager.create({
        kind: 'xmrig',
        name: 'rig-1',
        options: { pools: [{ url: pool.url, user: 'wallet', pass: PASS }], hugePages: false },
        supervision: FAST_SUPERVISION,
      });
      const bus = manager.events;
      const events: MinerEvent[] = [];
      miner.on('miner.log', ({ event }) => {
        if (event) events.push(event);
      });
      const onLine = (type: string) =>
        waitForMinerEvent(bus, miner.id, 'miner.log', (e) => e.event?.type === type);

      const shared = onLine('share.accepted');
      await miner.start();
      await shared;
      // The order xmrig prints them in: connected, first job, CPU ready, then shares (and, as
      // xmrig does when not root, "msr FAILED TO APPLY MSR MOD" as an `error` on the way).
      const types = events.map((e) => e.type);
      const order = ['pool.connected', 'job', 'ready', 'share.accepted'].map((t) =>
        types.indexOf(t),
      );
      expect(order).toEqual([0, 1, expect.any(Number), expect.any(Number)]);
      expect(order).toEqual([...order].sort((a, b) => a - b));
      expect(events.find((e) => e.type === 'error')?.data).toEqual({
        tag: 'msr',
        message: 'FAILED TO APPLY MSR MOD, HASHRATE WILL BE LOW',
      });
      expect(events[0]?.data).toMatchObject({ pool: pool.url, ip: '127.0.0.1' });
      expect(events[1]?.data).toMatchObject({ diff: POOL_DIFFICULTY, algo: 'rx/0' });

      // The config file: one, mode 0600, holding the password and this run's token.
      const minerDir = join(dataDir, 'miners', miner.id);
      const files = (await readdir(minerDir)).filter((f) => f.endsWith('.json'));
      expect(files).toHaveLength(1);
      expect((await stat(join(minerDir, files[0] as string))).mode & 0o777).toBe(0o600);
      const [config] = readXmrigConfigs(minerDir);
      const token = config?.http['access-token'] as string;
      expect(config?.pools[0]?.pass).toBe(PASS);
      expect(config?.http.host).toBe('127.0.0.1');
      expect(token).toMatch(/^\S{32}$/);

      // The adapter's requests carry the token and get 200; anybody else's do not.
      const api = `http://127.0.0.1:${config?.http.port}/2/summary`;
      expect(await statusOf(api)).toBe(401);
      expect(await statusOf(api, 'Bearer x')).toBe(403);
      await waitForMinerEvent(bus, miner.id, 'miner.health', (e) => (e.report?.hashrate ?? 0) > 0);
      const sample = await miner.sample({ timeoutMs: EVENT_TIMEOUT_MS });
      expect(sample).toMatchObject({
        pool: pool.url,
        algo: 'rx/0',
        difficulty: POOL_DIFFICULTY,
        shares: { rejected: 0 },
      });
      expect(sample.shares?.accepted).toBeGreaterThan(0);
      expect(sample.hashrate).toBeGreaterThan(SIM_HASHRATE / 2);
      expect(sample.hashrate).toBeLessThan(SIM_HASHRATE * 2);
      expect(sample.devices?.map((d) => d.id)).toEqual(['cpu:0', 'cpu:1']);
      expect(sample.warnings).toBeUndefined();

      // Keys on stdin, as on xmrig's console.
      for (const [key, type] of [
        [xmrigCommands.pause, 'paused'],
        [xmrigCommands.resume, 'resumed'],
        [xmrigCommands.hashrate, 'speed'],
      ] as const) {
        const seen = onLine(type);
        miner.write(key);
        await seen;
      }

      // Neither the command line nor core's pidfile holds a secret.
      const pid = miner.info().pid as number;
      const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
      expect(cmdline).toContain('--config');
      expect(cmdline).toContain('--no-huge-pages');
      const pidfiles = await pidfileTexts(dataDir);
      expect(pidfiles.length).toBe(1);
      for (const text of [cmdline.join(' '), ...pidfiles]) {
        expect(text).not.toContain(PASS);
        expect(text).not.toContain(token);
      }

      const exiting = onLine('exiting');
      await miner.stop();
      await exiting;
      expect(miner.info().lastExit).toMatchObject({ code: 0, signal: null });
      expect((await readdir(minerDir)).filter((f) => f.endsWith('.json'))).toEqual([]);
      const logged = `${logger.text()}\n${JSON.stringify(logger.calls)}`;
      expect(logger.calls.length).toBeGreaterThan(0);
      expect(logged).not.toContain(PASS);
      expect(logged).not.toContain(token);
    });

    it('argument mode (useConfigFile: false) runs too, and warns that secrets are on the command line', async () => {
      const logger = createCapturingLogger();
      const binary = await writeXmrigSimulatorWrapper(join(root, 'xmrig-args'), simArgs(23));
      manager = createManager({
        adapters: [createXmrigAdapter()],
        dataDir: join(root, 'data-args'),
        logger,
        sampleIntervalMs: 0,
        monitor: false,
      });
      const miner = await manager.create({
        kind: 'xmrig',
        name: 'rig-args',
        options: {
          binary,
          useConfigFile: false,
          pools: [
            { url: pool.url, user: 'wallet', pass: PASS, rigId: 'rig-args', keepalive: true },
          ],
          hugePages: false,
          threads: 1,
        },
        supervision: FAST_SUPERVISION,
      });
      const shared = waitForMinerEvent(
        manager.events,
        miner.id,
        'miner.log',
        (e) => e.event?.type === 'share.accepted',
      );
      await miner.start();
      await shared;
      const cmdline = (await readFile(`/proc/${miner.info().pid}/cmdline`, 'utf8')).split('\0');
      // What the warning is about: the password is on the command line in this mode.
      expect(cmdline).toContain(PASS);
      expect(cmdline).toContain('--http-access-token');
      expect(
        logger.calls.some((c) => c.level === 'warn' && /command line/.test(String(c.msg))),
      ).toBe(true);
      const sample = await miner.sample({ timeoutMs: EVENT_TIMEOUT_MS });
      expect(sample.shares?.accepted).toBeGreaterThan(0);
      expect(sample.devices?.map((d) => d.id)).toEqual(['cpu:0']); // threads: 1
      await miner.stop();
      expect(miner.info().lastExit).toMatchObject({ code: 0 });
      expect(logger.text()).not.toContain(PASS);
    });
  },
);
