import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnyAdapter,
  assertAdapter,
  createManager,
  isRigkitError,
  type Manager,
  type Miner,
  type RigkitEvents,
  type SupervisionOptions,
} from '@rigkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectNoLeaks, type LeakCheckOptions } from '../leaks/expect-no-leaks.js';
import { isProcessAlive, waitForProcessExit } from '../process/process-alive.js';
import { sampleProblems } from './sample-problems.js';
import { waitForEvent } from './wait-for-event.js';

/**
 * Miner options as given to `manager.create({ options })`, or a function returning them
 * (called for each case, after `fixtures.setup`, so it can use what the fixture started).
 */
export type ConformanceOptionsInput = unknown;

/** Things a miner needs that are not the miner itself: a simulator binary, a fake pool. */
export interface ConformanceFixtures {
  /** Runs before every case, outside the leak check. */
  setup?: () => void | Promise<void>;
  /** Runs after every case, also after a failed one. */
  teardown?: () => void | Promise<void>;
}

/** Options of {@link describeAdapterConformance}. */
export interface AdapterConformanceOptions {
  /** Options of a healthy miner that starts, answers its probe and can be sampled. */
  options: ConformanceOptionsInput;
  fixtures?: ConformanceFixtures;
  /**
   * Options that make the miner misbehave. A fault without options is reported as skipped.
   * - `crash`: the process exits by itself after it became ready (e.g. after 1 s);
   * - `hang`: it stays alive but its API stops answering (after it became ready);
   * - `garbage`: it prints junk and its API answers junk.
   */
  faults?: {
    crash?: ConformanceOptionsInput;
    hang?: ConformanceOptionsInput;
    garbage?: ConformanceOptionsInput;
  };
  /**
   * Supervision settings layered over the suite's fast ones (see
   * {@link CONFORMANCE_SUPERVISION}). Set e.g. `startTimeoutMs` for a miner that starts slowly.
   */
  supervision?: Partial<SupervisionOptions>;
  /** Longest wait for one step (a start, an event, a stop). Default 10 000 ms. */
  timeoutMs?: number;
  /** Passed to the leak check (`settleMs`, resource types to `ignore`). */
  leaks?: LeakCheckOptions;
  /** Title of the `describe` block. Default `adapter conformance: <kind>`. */
  name?: string;
}

/**
 * The suite's supervision settings: quick probes and restarts so every case takes about a
 * second, no warm-up, no stall or drop detection (they are not what is being tested).
 * Given per miner, so they win over the adapter's own suggestions (e.g. a long warm-up).
 */
export const CONFORMANCE_SUPERVISION: Readonly<Partial<SupervisionOptions>> = Object.freeze({
  probeIntervalMs: 100,
  // Generous for the healthy cases (a loaded CI box must not cause a restart); the hang case
  // lowers it.
  probeTimeoutMs: 1000,
  readyPollMs: 25,
  startTimeoutMs: 10_000,
  warmupMs: 0,
  unhealthyAfter: 2,
  stallTimeoutMs: 0,
  dropRatio: 0,
  backoffInitialMs: 50,
  backoffMaxMs: 500,
  backoffJitter: 0,
  crashLoopMaxRestarts: 5,
  stopGraceMs: 3000,
  restartOnCrash: true,
});

/** Probe timeout of the hang case: a hung API is detected after about 2 × this. */
const HANG_PROBE_TIMEOUT_MS = 250;

/** Core's default longest kept output line (ManagerOptions.maxLineLength). */
const MAX_LINE_LENGTH = 16 * 1024;

/**
 * Defines a vitest `describe` block that checks an adapter against the contract core relies
 * on, by running real miners under a real `Manager` (one per case, closed afterwards):
 *
 * - it registers with this `@rigkit/core`;
 * - `parseLine` (if any) tolerates any line;
 * - start → `running` → a valid sample (ms timestamps, H/s, integer shares, device ids) →
 *   stop → stop again (idempotent);
 * - a whole create → start → stop → close cycle leaves no timer, socket, child or fd behind,
 *   and the miner process is gone;
 * - crash → `miner.restart` (reason `exit`) → running again;
 * - hang → probe timeouts → `miner.restart` (reason `probe-timeout`) → running again;
 * - garbage output → no crash, samples fail with a typed error or are tolerated, the miner
 *   stays supervised and its logs stay bounded.
 *
 * Call it at the top level of a test file:
 * ```ts
 * describeAdapterConformance(myAdapter, {
 *   options: { binary: simulatorPath },
 *   faults: { crash: { binary: simulatorPath, crashAfterMs: 1000 } },
 * });
 * ```
 */
export function describeAdapterConformance(
  adapter: AnyAdapter,
  conformance: AdapterConformanceOptions,
): void {
  const timeoutMs = conformance.timeoutMs ?? 10_000;
  // A case waits for a few steps in a row; vitest's own default (5 s) is too short.
  const caseTimeoutMs = timeoutMs * 4;
  const faults = conformance.faults ?? {};
  const kind = typeof adapter?.kind === 'string' ? adapter.kind : 'unknown';

  const supervisionFor = (overrides: Partial<SupervisionOptions> = {}) => ({
    ...CONFORMANCE_SUPERVISION,
    ...overrides,
    ...conformance.supervision,
  });

  /** Runs `fn` with a fresh manager over a temp data dir, closed and removed afterwards. */
  async function withManager<T>(fn: (manager: Manager) => Promise<T>): Promise<T> {
    const dataDir = await mkdtemp(join(tmpdir(), `rigkit-conformance-${kind}-`));
    const manager = createManager({
      adapters: [adapter],
      dataDir,
      sampleIntervalMs: 0,
      monitor: false,
    });
    try {
      return await fn(manager);
    } finally {
      await manager.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }

  async function createMiner(
    manager: Manager,
    input: ConformanceOptionsInput,
    overrides?: Partial<SupervisionOptions>,
  ): Promise<Miner> {
    const options = typeof input === 'function' ? await (input as () => unknown)() : input;
    return manager.create({
      kind,
      name: `conformance ${kind}`,
      id: `conformance-${randomBytes(4).toString('hex')}`,
      options,
      supervision: supervisionFor(overrides),
    });
  }

  /** Waits for `type` events of this miner. */
  const waitFor = <K extends keyof RigkitEvents & string>(
    manager: Manager,
    miner: Miner,
    type: K,
    predicate: (payload: RigkitEvents[K]) => boolean = () => true,
    ms = timeoutMs,
  ) =>
    waitForEvent(
      manager.events,
      type,
      (payload) => (payload as { minerId?: string }).minerId === miner.id && predicate(payload),
      ms,
    );

  /** Stops the miner and checks that it is stopped and its process gone. */
  async function stopAndCheck(miner: Miner, pids: Iterable<number>): Promise<void> {
    await miner.stop();
    expect(miner.state).toBe('stopped');
    expect(miner.info().pid).toBeUndefined();
    for (const pid of pids) expect(await waitForProcessExit(pid, timeoutMs)).toBe(true);
  }

  /** Records every pid the miner runs with, to check they are all gone at the end. */
  function trackPids(miner: Miner): Set<number> {
    const pids = new Set<number>();
    miner.on('miner.state', (event) => {
      const pid = miner.info().pid;
      if (event.to === 'running' && pid !== undefined) pids.add(pid);
    });
    return pids;
  }

  /** Accepts a start that failed the way a crashing miner's start may fail. */
  const tolerateExitDuringStart = (error: unknown) => {
    if (!(isRigkitError(error) && error.code === 'E_PROCESS_EXIT')) throw error;
  };

  describe(conformance.name ?? `adapter conformance: ${kind}`, () => {
    if (conformance.fixtures?.setup) beforeEach(conformance.fixtures.setup);
    if (conformance.fixtures?.teardown) afterEach(conformance.fixtures.teardown);

    it('registers with this @rigkit/core', () => {
      expect(() => assertAdapter(adapter)).not.toThrow();
    });

    // Skipped for adapters without parseLine(): it is optional in the contract, nothing to test.
    it.skipIf(typeof adapter.parseLine !== 'function')('parseLine tolerates any line', () => {
      const parseLine = adapter.parseLine?.bind(adapter);
      const lines = [
        '',
        ' ',
        '\u0000\u0001\u001b[31m',
        '\ud800 lone surrogate',
        '{"unterminated": ',
        '9'.repeat(400),
        'x'.repeat(MAX_LINE_LENGTH),
        randomBytes(300).toString('latin1'),
        randomBytes(300).toString('utf8'),
      ];
      for (const line of lines) {
        for (const stream of ['stdout', 'stderr'] as const) {
          const event = parseLine?.(line, stream);
          if (event !== undefined) expect(typeof event.type).toBe('string');
        }
      }
    });

    it(
      'starts, runs, gives a valid sample and stops idempotently',
      async () => {
        await withManager(async (manager) => {
          const miner = await createMiner(manager, conformance.options);
          expect(miner.state).toBe('idle');
          const sessionEnded = waitFor(manager, miner, 'miner.session', (e) => e.phase === 'end');

          await miner.start();
          expect(miner.state).toBe('running');
          const { pid, generation } = miner.info();
          if (typeof adapter.command === 'function') {
            expect(pid).toEqual(expect.any(Number));
            expect(isProcessAlive(pid as number)).toBe(true);
          }
          await miner.start(); // idempotent while running
          expect(miner.info().generation).toBe(generation);

          const sample = await miner.sample({ timeoutMs });
          expect(sampleProblems(sample)).toEqual([]);
          expect(miner.lastSample).toEqual(sample);

          await stopAndCheck(miner, pid === undefined ? [] : [pid]);
          expect((await sessionEnded).session.endReason).toBe('stopped');

          // Stopping a stopped miner, even twice at once, does nothing and changes nothing.
          const transitions: string[] = [];
          const off = miner.on('miner.state', (e) => transitions.push(`${e.from}->${e.to}`));
          await Promise.all([miner.stop(), miner.stop()]);
          off();
          expect(miner.state).toBe('stopped');
          expect(transitions).toEqual([]);
        });
      },
      caseTimeoutMs,
    );

    it(
      'leaves no resource behind after create → start → sample → stop → close',
      async () => {
        const pids: number[] = [];
        const cycle = () =>
          withManager(async (manager) => {
            const miner = await createMiner(manager, conformance.options);
            await miner.start();
            const pid = miner.info().pid;
            if (pid !== undefined) pids.push(pid);
            expect(sampleProblems(await miner.sample({ timeoutMs }))).toEqual([]);
            await miner.stop();
          });
        // A first cycle outside the check: lazy module loads and first-use caches (an HTTP
        // client's global dispatcher) are not leaks.
        await cycle();
        await expectNoLeaks(cycle, { settleMs: 3000, ...conformance.leaks });
        for (const pid of pids) expect(isProcessAlive(pid)).toBe(false);
      },
      caseTimeoutMs,
    );

    // Skipped when the author gives no crash fixture: the suite cannot make an unknown miner crash.
    it.skipIf(faults.crash === undefined)(
      'restarts a miner that crashes (reason exit) and runs it again',
      async () => {
        await withManager(async (manager) => {
          const miner = await createMiner(manager, faults.crash);
          const pids = trackPids(miner);
          const restarted = waitFor(manager, miner, 'miner.restart');
          const crashed = waitFor(manager, miner, 'miner.session', (e) => e.phase === 'end');
          const runningAgain = waitFor(
            manager,
            miner,
            'miner.state',
            (e) => e.to === 'running' && e.generation >= 2,
            timeoutMs * 2,
          );

          await miner.start().catch(tolerateExitDuringStart);
          const restart = await restarted;
          expect(restart.reason).toBe('exit');
          expect(restart.attempt).toBe(1);
          expect((await crashed).session.endReason).toBe('exit');
          await runningAgain;

          await stopAndCheck(miner, pids);
        });
      },
      caseTimeoutMs,
    );

    // Skipped when the author gives no hang fixture: the suite cannot make an unknown miner hang.
    it.skipIf(faults.hang === undefined)(
      'restarts a miner whose API hangs (reason probe-timeout) and runs it again',
      async () => {
        await withManager(async (manager) => {
          const miner = await createMiner(manager, faults.hang, {
            probeTimeoutMs: HANG_PROBE_TIMEOUT_MS,
          });
          const pids = trackPids(miner);
          const timedOut = waitFor(
            manager,
            miner,
            'miner.health',
            (e) => e.code === 'E_API_TIMEOUT',
          );
          const restarted = waitFor(manager, miner, 'miner.restart');
          const runningAgain = waitFor(
            manager,
            miner,
            'miner.state',
            (e) => e.to === 'running' && e.generation >= 2,
            timeoutMs * 2,
          );

          await miner.start();
          expect((await timedOut).healthy).toBe(false);
          expect((await restarted).reason).toBe('probe-timeout');
          await runningAgain;

          await stopAndCheck(miner, pids);
        });
      },
      caseTimeoutMs,
    );

    // Skipped when the author gives no garbage-output fixture: it cannot be produced generically.
    it.skipIf(faults.garbage === undefined)(
      'survives garbage output: typed errors or tolerated samples, still supervised',
      async () => {
        await withManager(async (manager) => {
          const miner = await createMiner(manager, faults.garbage);
          const pids = trackPids(miner);
          const sampleErrors: string[] = [];
          miner.on('miner.sample.error', (e) => sampleErrors.push(e.code));

          // Evidence that supervision goes on: probes keep coming, or a restart is scheduled.
          let healthEvents = 0;
          const supervised = Promise.race([
            waitFor(manager, miner, 'miner.health', () => ++healthEvents >= 3, timeoutMs * 2),
            waitFor(manager, miner, 'miner.restart', () => true, timeoutMs * 2),
          ]);

          let started = true;
          await miner.start().catch((error: unknown) => {
            // Not ready because the API makes no sense: fine, if it says so with a typed error.
            expect(isRigkitError(error), String(error)).toBe(true);
            started = false;
          });
          if (started) {
            const outcome = await miner.sample({ timeoutMs }).then(
              (sample) => ({ sample }),
              (error: unknown) => ({ error }),
            );
            if ('sample' in outcome) {
              expect(sampleProblems(outcome.sample)).toEqual([]);
            } else {
              expect(isRigkitError(outcome.error), String(outcome.error)).toBe(true);
            }
          }
          await supervised;
          expect(['starting', 'running', 'stopping', 'crashed', 'backoff']).toContain(miner.state);
          for (const code of sampleErrors) expect(code).toMatch(/^E_[A-Z0-9_]+$/);
          for (const entry of miner.logs.tail(miner.logs.capacity)) {
            expect(entry.text.length).toBeLessThanOrEqual(MAX_LINE_LENGTH);
          }

          await stopAndCheck(miner, pids);
        });
      },
      caseTimeoutMs,
    );
  });
}
