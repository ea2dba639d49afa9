import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { RigkitEvents } from '../events/rigkit-events.js';
import { harness } from '../testing/harness.js';
import { canTransition, LIVE_STATES } from './transitions.js';

// Random sequences of everything that can happen to a miner, checked after every step:
// at most one live process, state matching reality, a legal transition chain, and no
// orphan after stopAll(). RIGKIT_PROPERTY_RUNS lowers the count for quick local runs.
const RUNS = Number(process.env.RIGKIT_PROPERTY_RUNS ?? 10_000);

type Command =
  | { op: 'start' }
  | { op: 'stop' }
  | { op: 'restart' }
  | { op: 'crash'; code: number }
  | { op: 'hang'; on: boolean }
  | { op: 'ready'; on: boolean }
  | { op: 'ignoreSigterm' }
  | { op: 'failLaunch' }
  | { op: 'advance'; ms: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.constant({ op: 'start' as const }),
  fc.constant({ op: 'stop' as const }),
  fc.constant({ op: 'restart' as const }),
  fc.record({ op: fc.constant('crash' as const), code: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('hang' as const), on: fc.boolean() }),
  fc.record({ op: fc.constant('ready' as const), on: fc.boolean() }),
  fc.constant({ op: 'ignoreSigterm' as const }),
  fc.constant({ op: 'failLaunch' as const }),
  fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 12_000 }) }),
);

describe('lifecycle property', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it(`holds its invariants over ${RUNS} random sequences`, async () => {
    // One data dir for all runs; each run gets a fresh manager, miner and launcher.
    const dataDir = mkdtempSync(join(tmpdir(), 'rigkit-property-'));
    onTestFinished(() => rmSync(dataDir, { recursive: true, force: true }));

    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 14 }), async (commands) => {
        const { manager, launcher, behaviour } = harness({
          dataDir,
          supervision: { crashLoopMaxRestarts: 3, startTimeoutMs: 3000, stopGraceMs: 1500 },
        });
        const miner = await manager.create({ kind: 'fake', name: 'p', id: 'p' });
        const transitions: RigkitEvents['miner.state'][] = [];
        manager.events.on('miner.state', (e) => transitions.push(e));
        const ignore = () => {};

        const check = () => {
          const live = launcher.live();
          expect(live.length).toBeLessThanOrEqual(1);
          if (miner.state === 'running') expect(live).toHaveLength(1);
          if (!LIVE_STATES.has(miner.state)) expect(live).toHaveLength(0);
          let previous = 'idle';
          let generation = 0;
          for (const t of transitions) {
            expect(t.from).toBe(previous);
            expect(canTransition(t.from, t.to)).toBe(true);
            expect(t.generation).toBeGreaterThanOrEqual(generation);
            previous = t.to;
            generation = t.generation;
          }
          expect(previous).toBe(miner.state);
        };

        for (const c of commands) {
          switch (c.op) {
            case 'start':
              miner.start().catch(ignore);
              break;
            case 'stop':
              miner.stop().catch(ignore);
              break;
            case 'restart':
              miner.restart().catch(ignore);
              break;
            case 'crash':
              launcher.live().at(-1)?.crash(c.code);
              break;
            case 'hang':
              behaviour.probe = c.on ? 'hang' : 'ok';
              break;
            case 'ready':
              behaviour.probe = c.on ? 'ok' : 'not-ready';
              break;
            case 'ignoreSigterm': {
              const p = launcher.live().at(-1);
              if (p) p.ignoreSigterm = true;
              break;
            }
            case 'failLaunch':
              launcher.failNext = 1;
              break;
            case 'advance':
              await vi.advanceTimersByTimeAsync(c.ms);
              break;
          }
          await vi.advanceTimersByTimeAsync(0);
          check();
        }

        // Whatever happened, stopAll leaves no process behind and the miner at rest.
        let stopped = false;
        const done = manager.stopAll().then(() => {
          stopped = true;
        });
        await vi.advanceTimersByTimeAsync(10_000);
        // Never await something that might hang under fake timers: assert it finished instead.
        expect(stopped).toBe(true);
        await done;
        check();
        expect(launcher.live()).toHaveLength(0);
        expect(['idle', 'stopped', 'failed']).toContain(miner.state);
        let closed = false;
        const closing = manager.close().then(() => {
          closed = true;
        });
        await vi.advanceTimersByTimeAsync(0);
        expect(closed).toBe(true);
        await closing;
        expect(vi.getTimerCount()).toBe(0);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
