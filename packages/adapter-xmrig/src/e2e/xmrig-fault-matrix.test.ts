// The fault matrix: `rigkit-sim-xmrig` misbehaving in each way a real xmrig can, supervised by
// core's Manager through the xmrig adapter, mining against a CryptoNote pool simulator. Every
// log call, event and error of every case is kept and searched for the pool password (a
// sentinel) and every run's API token at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createManager,
  isRigkitError,
  type Manager,
  type Miner,
  type SupervisionOptions,
} from '@rigkit/core';
import { isProcessAlive, waitForProcessExit } from '@rigkit/testkit';
import {
  type CryptoNotePool,
  startCryptoNotePool,
  startXmrigSimulator,
  writeXmrigSimulatorWrapper,
} from '@rigkit/testkit/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createXmrigAdapter } from '../adapter/create-xmrig-adapter.js';
import { xmrigOptionsSchema } from '../options/xmrig-options.js';
import { createCapturingLogger, render } from '../test-support/capturing-logger.js';
import { createTestContext } from '../test-support/test-context.js';
import {
  EVENT_TIMEOUT_MS,
  FAST_SUPERVISION,
  POOL_DIFFICULTY,
  readXmrigConfigs,
  simArgs,
  waitForMinerEvent,
} from './sim-harness.js';

const PASS = 'SENTINEL-POOL-PASS-5b7d0e';
/** A hashing simulator at 1000 H/s reads well above this once its 10 s window is filled. */
const SIM_MIN_HASHRATE = 500;
const linux = process.platform === 'linux';

let pool: CryptoNotePool;
let root: string;
const logger = createCapturingLogger();
/** Every event of every manager, serialised as emitted. */
const events: string[] = [];
/** Every error a case saw (start failures, sample failures…). */
const errors: unknown[] = [];
/** The API token of every run, read from its config file while it ran. */
const tokens = new Set<string>();
/** Runs whose config file held the sentinel password (so the sentinel was really in play). */
let configsWithPass = 0;

beforeAll(async () => {
  pool = await startCryptoNotePool({ difficulty: POOL_DIFFICULTY });
  root = await mkdtemp(join(tmpdir(), 'rigkit-xmrig-faults-'));
});
afterAll(async () => {
  await pool?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

interface Case {
  manager: Manager;
  miner: Miner;
}

/**
 * Runs `body` with a fresh manager over its own data dir and one miner whose binary is a
 * simulator wrapper with `faults`, mining on the pool with the sentinel password. The manager
 * logs into the shared capturing logger and every event it emits is recorded.
 */
async function withFaultyMiner(
  name: string,
  seed: number,
  faults: string[],
  supervision: Partial<SupervisionOptions>,
  body: (c: Case) => Promise<void>,
): Promise<void> {
  const binary = await writeXmrigSimulatorWrapper(join(root, name), simArgs(seed, ...faults));
  const dataDir = join(root, `data-${name}`);
  const manager = createManager({
    adapters: [createXmrigAdapter({ binary })],
    dataDir,
    logger,
    sampleIntervalMs: 0,
    monitor: false,
  });
  const offAny = manager.events.onAny((type, payload) => {
    events.push(JSON.stringify({ type, payload }));
  });
  try {
    const miner = await manager.create({
      kind: 'xmrig',
      name,
      id: name,
      options: {
        pools: [{ url: pool.url, user: 'wallet', pass: PASS }],
        hugePages: false,
      },
      supervision: { ...FAST_SUPERVISION, ...supervision },
    });
    // The config file exists from command() until the run ends: read each run's token.
    miner.on('miner.session', ({ phase }) => {
      if (phase !== 'start') return;
      for (const config of readXmrigConfigs(join(dataDir, 'miners', miner.id))) {
        tokens.add(config.http['access-token']);
        if (config.pools[0]?.pass === PASS) configsWithPass += 1;
      }
    });
    await body({ manager, miner });
  } finally {
    offAny();
    await manager.close();
  }
}

/** Starts the miner; a start that fails is recorded (and must be a RigkitError). */
async function start(miner: Miner, tolerate: string[] = []): Promise<void> {
  try {
    await miner.start();
  } catch (error) {
    errors.push(error);
    if (!(isRigkitError(error) && tolerate.includes(error.code))) throw error;
  }
}

describe.runIf(linux)(
  'xmrig fault matrix (rigkit-sim-xmrig under core supervision)',
  { timeout: 40_000 },
  () => {
    it('crash → restart (reason exit) → running again, mining on the pool', async () => {
      const loginsBefore = pool.stats().logins;
      await withFaultyMiner('crash', 11, ['--sim-crash-after', '1500'], {}, async (c) => {
        const { events: bus } = c.manager;
        const id = c.miner.id;
        const restarted = waitForMinerEvent(bus, id, 'miner.restart');
        const crashed = waitForMinerEvent(bus, id, 'miner.session', (e) => e.phase === 'end');
        const runningAgain = waitForMinerEvent(
          bus,
          id,
          'miner.state',
          (e) => e.to === 'running' && e.generation >= 2,
        );
        // On a slow machine the crash may come before the first ready probe: then start() says so.
        await start(c.miner, ['E_PROCESS_EXIT']);
        const firstPid = (await crashed).session;
        expect(firstPid.endReason).toBe('exit');
        expect(firstPid.exitCode).toBe(1);
        const restart = await restarted;
        expect(restart).toMatchObject({ reason: 'exit', attempt: 1, delayMs: 50 });
        await runningAgain;
        expect(c.miner.state).toBe('running');
        expect(c.miner.info().generation).toBeGreaterThanOrEqual(2);
        // Both runs logged in to the pool (the second with a fresh config file and token).
        expect(pool.stats().logins - loginsBefore).toBeGreaterThanOrEqual(2);
        await c.miner.stop();
        expect(c.miner.state).toBe('stopped');
      });
    });

    it('hang → probe timeouts (E_API_TIMEOUT) → restart (reason probe-timeout)', async () => {
      await withFaultyMiner(
        'hang',
        12,
        ['--sim-hang-after', '2000'],
        { probeTimeoutMs: 300 },
        async (c) => {
          const { events: bus } = c.manager;
          const id = c.miner.id;
          const timedOut = waitForMinerEvent(
            bus,
            id,
            'miner.health',
            (e) => e.code === 'E_API_TIMEOUT',
          );
          const restarted = waitForMinerEvent(bus, id, 'miner.restart');
          const runningAgain = waitForMinerEvent(
            bus,
            id,
            'miner.state',
            (e) => e.to === 'running' && e.generation >= 2,
          );
          await start(c.miner);
          const hungPid = c.miner.info().pid as number;
          expect(await timedOut).toMatchObject({ healthy: false, code: 'E_API_TIMEOUT' });
          expect((await restarted).reason).toBe('probe-timeout');
          await runningAgain;
          // The hung process was stopped (a hung simulator still obeys SIGTERM).
          expect(await waitForProcessExit(hungPid, EVENT_TIMEOUT_MS)).toBe(true);
          await c.miner.stop();
        },
      );
    });

    it('zero hashrate → stall restart (reason stall), after shares were accepted', async () => {
      await withFaultyMiner(
        'zero',
        13,
        ['--sim-zero-after', '2500'],
        { stallTimeoutMs: 1500, probeTimeoutMs: 1000 },
        async (c) => {
          const { events: bus } = c.manager;
          const id = c.miner.id;
          const hashing = waitForMinerEvent(
            bus,
            id,
            'miner.health',
            (e) => (e.report?.hashrate ?? 0) > 0,
          );
          const shared = waitForMinerEvent(
            bus,
            id,
            'miner.log',
            (e) => e.event?.type === 'share.accepted',
          );
          const zero = waitForMinerEvent(bus, id, 'miner.health', (e) => e.report?.hashrate === 0);
          const restarted = waitForMinerEvent(bus, id, 'miner.restart');
          await start(c.miner);
          expect((await hashing).report?.hashrate).toBeGreaterThan(SIM_MIN_HASHRATE);
          await shared;
          const sample = await c.miner.sample({ timeoutMs: EVENT_TIMEOUT_MS });
          expect(sample.shares?.accepted).toBeGreaterThan(0);
          expect(sample.shares?.rejected).toBe(0);
          expect(sample.pool).toBe(pool.url);
          expect(sample.difficulty).toBe(POOL_DIFFICULTY);
          expect(sample.devices?.map((d) => d.id)).toEqual(['cpu:0', 'cpu:1']);
          expect((await zero).healthy).toBe(true);
          const restart = await restarted;
          expect(restart).toMatchObject({ reason: 'stall', attempt: 1 });
          await c.miner.stop();
        },
      );
    });

    it('garbage API → typed errors, never ready, restarted (start-timeout), no crash', async () => {
      await withFaultyMiner(
        'garbage',
        14,
        ['--sim-garbage-api'],
        { startTimeoutMs: 1500 },
        async (c) => {
          const { events: bus } = c.manager;
          const id = c.miner.id;
          const restarted = waitForMinerEvent(bus, id, 'miner.restart');
          const startingAgain = waitForMinerEvent(
            bus,
            id,
            'miner.state',
            (e) => e.to === 'starting' && e.generation >= 2,
          );
          const failure = await c.miner.start().then(
            () => undefined,
            (error: unknown) => error,
          );
          errors.push(failure);
          expect(isRigkitError(failure) && failure.code).toBe('E_START_TIMEOUT');
          expect(await restarted).toMatchObject({ reason: 'start-timeout', attempt: 1 });
          await startingAgain; // still supervised: core tries again
          const notRunning = await c.miner.sample().catch((error: unknown) => error);
          errors.push(notRunning);
          expect(isRigkitError(notRunning) && notRunning.code).toMatch(/^E_[A-Z_]+$/);
          await c.miner.stop();
          expect(c.miner.state).toBe('stopped');
        },
      );

      // The same garbage, read by the adapter itself: probes are unhealthy and not ready (with the
      // reason), samples fail with E_API_RESPONSE — typed, and never quoting the body.
      const sim = await startXmrigSimulator([...simArgs(15, '--sim-garbage-api'), '--no-color']);
      const tc = await createTestContext({ logger, port: sim.port as number });
      try {
        const adapter = createXmrigAdapter();
        const options = xmrigOptionsSchema.parse({
          pools: [{ url: pool.url, user: 'wallet', pass: PASS }],
          hugePages: false,
        });
        await adapter.command?.(options, tc.ctx);
        tokens.add(tc.ctx.session.token as string);
        const never = new AbortController().signal;
        expect(await adapter.probe(options, tc.ctx, never)).toEqual({
          healthy: false,
          ready: false,
          message: 'xmrig API /2/summary answered something that is not JSON',
        });
        const sampleError = await adapter.stats?.(options, tc.ctx, never).catch((e: unknown) => e);
        errors.push(sampleError);
        expect(isRigkitError(sampleError) && sampleError.code).toBe('E_API_RESPONSE');
        await adapter.cleanup?.(options, tc.ctx);
      } finally {
        await tc.dispose();
        await sim.stop();
      }
    });

    it('SIGTERM ignored → SIGKILL after the grace period; stop() resolves', async () => {
      await withFaultyMiner(
        'sigterm',
        16,
        ['--sim-ignore-sigterm'],
        { stopGraceMs: 500 },
        async (c) => {
          const { events: bus } = c.manager;
          const id = c.miner.id;
          await start(c.miner);
          const pid = c.miner.info().pid as number;
          const ignored = waitForMinerEvent(
            bus,
            id,
            'miner.log',
            (e) => e.event?.type === 'exiting',
          );
          const ended = waitForMinerEvent(bus, id, 'miner.session', (e) => e.phase === 'end');
          const began = performance.now();
          await c.miner.stop();
          const tookMs = performance.now() - began;
          // It said it was exiting on SIGTERM, and did not: core waited the grace, then SIGKILL.
          expect((await ignored).event?.data).toEqual({ signal: 'SIGTERM' });
          expect(c.miner.info().lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
          expect(tookMs).toBeGreaterThanOrEqual(450);
          expect((await ended).session).toMatchObject({ endReason: 'stopped', signal: 'SIGKILL' });
          expect(c.miner.state).toBe('stopped');
          expect(isProcessAlive(pid)).toBe(false);
        },
      );
    });

    it('no pool password and no API token in any log call, event or error', () => {
      // Every case ran, logged and recorded: the search below is not vacuous.
      expect(tokens.size).toBeGreaterThanOrEqual(6);
      expect(configsWithPass).toBeGreaterThanOrEqual(5);
      expect(logger.calls.length).toBeGreaterThan(10);
      expect(events.length).toBeGreaterThan(100);
      expect(errors.length).toBeGreaterThanOrEqual(3);
      const everything = [
        logger.text(),
        JSON.stringify(logger.calls),
        ...events,
        render(errors),
        JSON.stringify(errors),
        errors.map((e) => String(e)).join('\n'),
      ].join('\n');
      expect(everything).not.toContain(PASS);
      for (const token of tokens) {
        expect(token).toMatch(/^\S{16,}$/);
        expect(everything).not.toContain(token);
      }
    });
  },
);
