// `rigkit-sim-ttminer` under core supervision through the TT-Miner adapter: the adapter's
// warm-up keeps the stall watchdog quiet while TT-Miner reports 0 H/s, a lost GPU is caught by
// relative-drop detection, and an overheating GPU makes the temperature guard stop the run and
// record why. Every log call and event is kept and searched for the pool password and the API
// password (sentinels) at the end.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createManager,
  type Manager,
  type Miner,
  type RigkitEvents,
  type SupervisionOptions,
} from '@rigkit/core';
import { waitForEvent } from '@rigkit/testkit';
import { writeTtminerSimulatorWrapper } from '@rigkit/testkit/simulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTtminerAdapter } from '../adapter/create-ttminer-adapter.js';
import { createCapturingLogger } from '../test-support/capturing-logger.js';
import {
  closedPort,
  EVENT_TIMEOUT_MS,
  FAST_SUPERVISION,
  type StratumPool,
  simArgs,
  startStratumPool,
} from './sim-harness.js';

const PASS = 'SENTINEL-POOL-PASS-3e91c4';
const API_PW = 'SENTINEL-API-PW-8d27aa';
const linux = process.platform === 'linux';

let root: string;
let pool: StratumPool;
let deadPort: number;
const logger = createCapturingLogger();
/** Every event of every manager, serialised as emitted. */
const events: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rigkit-ttminer-supervision-'));
  pool = await startStratumPool();
  deadPort = await closedPort();
});
afterAll(async () => {
  await pool?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

interface Case {
  manager: Manager;
  miner: Miner;
  /** Waits for the first `type` event of this case's miner matching `predicate`. */
  next<K extends keyof RigkitEvents & string>(
    type: K,
    predicate?: (payload: RigkitEvents[K]) => boolean,
  ): Promise<RigkitEvents[K]>;
}

/**
 * Runs `body` with a fresh manager (sampling every 200 ms) over its own data dir and one miner
 * whose binary is a simulator wrapper with `simFlags`, logging into the shared capturing
 * logger with every event recorded. `reachablePool`: mine on the test pool (the GPUs hash) or
 * on a closed port (0 H/s). `supervision` is layered over {@link FAST_SUPERVISION}.
 */
async function withMiner(
  name: string,
  simFlags: string[],
  reachablePool: boolean,
  supervision: Partial<SupervisionOptions>,
  body: (c: Case) => Promise<void>,
): Promise<void> {
  const binary = await writeTtminerSimulatorWrapper(join(root, name), simFlags);
  const manager = createManager({
    adapters: [createTtminerAdapter({ binary })],
    dataDir: join(root, `data-${name}`),
    logger,
    sampleIntervalMs: 200,
    monitor: false,
  });
  const offAny = manager.events.onAny((type, payload) => {
    events.push(JSON.stringify({ type, payload }));
  });
  try {
    const miner = await manager.create({
      kind: 'ttminer',
      name,
      id: name,
      options: {
        pools: [
          {
            url: reachablePool ? pool.url : `127.0.0.1:${deadPort}`,
            user: 'RWallet',
            worker: 'rig1',
            pass: PASS,
          },
        ],
        algo: 'KAWPOW',
        devices: [0, 1],
        apiPassword: API_PW,
      },
      supervision: { ...FAST_SUPERVISION, ...supervision },
    });
    const next: Case['next'] = (type, predicate = () => true) =>
      waitForEvent(
        manager.events,
        type,
        (payload) => (payload as { minerId?: string }).minerId === miner.id && predicate(payload),
        EVENT_TIMEOUT_MS,
      );
    await body({ manager, miner, next });
  } finally {
    offAny();
    await manager.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(linux)(
  'TT-Miner supervision (rigkit-sim-ttminer under core)',
  { timeout: 30_000 },
  () => {
    it('warm-up respected: 0 H/s until the first share is no stall within the adapter warm-up', async () => {
      const flags = simArgs(21, 10, '--sim-zero-until-first-share');
      // The adapter's own warm-up (warmupMs not overridden), a stall timeout of 1 s.
      await withMiner('warmup', flags, false, { stallTimeoutMs: 1000 }, async (c) => {
        expect(c.miner.supervision.warmupMs).toBe(180_000);
        const restarts: string[] = [];
        c.manager.events.on('miner.restart', (e) => restarts.push(e.reason));
        const zero = c.next('miner.health', (e) => e.report?.hashrate === 0);
        await c.miner.start();
        expect((await zero).healthy).toBe(true);
        await sleep(3000); // three stall timeouts at 0 H/s
        expect(restarts).toEqual([]);
        expect(c.miner.state).toBe('running');
        expect(c.miner.info().generation).toBe(1);
        await c.miner.stop();
      });
      // The same miner without a warm-up is restarted for stalling.
      await withMiner(
        'no-warmup',
        flags,
        false,
        { stallTimeoutMs: 1000, warmupMs: 0 },
        async (c) => {
          const restarted = c.next('miner.restart');
          await c.miner.start();
          expect(await restarted).toMatchObject({ reason: 'stall', attempt: 1 });
          await c.miner.stop();
        },
      );
    });

    it('GPU lost → relative-drop detection restarts the miner (reason drop)', async () => {
      await withMiner(
        'gpu-lost',
        simArgs(22, 5, '--sim-gpu-lost', '1', '--sim-gpu-lost-after', '3000'),
        true,
        { dropRatio: 0.3, dropSamples: 2, dropWindow: 6, warmupMs: 0 },
        async (c) => {
          const hashing = c.next('miner.sample', (e) => (e.sample.hashrate ?? 0) > 0);
          const lostLine = c.next('miner.log', (e) => /GPU 1 lost/.test(e.entry.text));
          const restarted = c.next('miner.restart');
          await c.miner.start();
          const healthy = (await hashing).sample;
          expect(healthy.devices?.map((d) => d.id)).toEqual(['gpu:0', 'gpu:1']);
          await lostLine;
          expect(await restarted).toMatchObject({ reason: 'drop', attempt: 1 });
          await c.miner.stop();
        },
      );
      // The pool really received the sentinel password: the secret check below is not vacuous.
      expect(pool.passwords).toContain(PASS);
    });

    it('overheat → the guard stops the run and records why (no pause on TT-Miner)', async () => {
      await withMiner(
        'overheat',
        simArgs(23, 20, '--sim-overheat', '0'),
        false,
        {
          warmupMs: 0,
          temperatureLimitC: 85,
          temperatureResumeC: 70,
          temperatureSamples: 2,
          temperatureAction: 'stop',
          temperatureCooldownMs: 0,
        },
        async (c) => {
          const guarded = c.next('miner.guard');
          const ended = c.next('miner.session', (e) => e.phase === 'end');
          const stopped = c.next('miner.state', (e) => e.to === 'stopped');
          await c.miner.start();
          const guard = await guarded;
          expect(guard).toMatchObject({
            action: 'stop',
            reason: 'overheat',
            device: 'gpu:0',
            limitC: 85,
          });
          expect(guard.temperatureC).toBeGreaterThan(85);
          expect((await ended).session.endReason).toBe('overheat');
          expect((await stopped).reason).toBe('overheat');
          expect(c.miner.state).toBe('stopped');
          // A cool-down of 0 means it stays stopped: no restart.
          await sleep(500);
          expect(c.miner.state).toBe('stopped');
        },
      );
    });

    it('no pool password and no API password in any log call or event', () => {
      expect(logger.calls.length).toBeGreaterThan(10);
      expect(events.length).toBeGreaterThan(50);
      const everything = [logger.text(), JSON.stringify(logger.calls), ...events].join('\n');
      expect(everything).not.toContain(PASS);
      expect(everything).not.toContain(API_PW);
    });
  },
);
