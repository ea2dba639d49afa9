// The adapter conformance suite of @rigkit/testkit, run against `rigkit-sim-xmrig` mining on a
// CryptoNote pool simulator: the xmrig adapter meets the contract core relies on, including
// crash, hang and garbage-API faults.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAdapterConformance } from '@rigkit/testkit';
import {
  type CryptoNotePool,
  startCryptoNotePool,
  writeXmrigSimulatorWrapper,
} from '@rigkit/testkit/simulators';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createXmrigAdapter } from '../adapter/create-xmrig-adapter.js';
import { EVENT_TIMEOUT_MS, POOL_DIFFICULTY, simArgs } from './sim-harness.js';

const linux = process.platform === 'linux';

// Paths are fixed now (the suite is defined synchronously); the wrappers are written before
// the first case runs.
const dir = mkdtempSync(join(tmpdir(), 'rigkit-xmrig-conformance-'));
const wrapper = {
  healthy: join(dir, 'xmrig'),
  // Exits with code 1 (and "Segmentation fault" on stderr) 2 s after it started.
  crash: join(dir, 'xmrig-crash'),
  // Its API stops answering (connections accepted, never answered) 2.5 s after it started:
  // after it became ready, even on a slow machine.
  hang: join(dir, 'xmrig-hang'),
  // Answers every API request with junk labelled as JSON.
  garbage: join(dir, 'xmrig-garbage'),
};

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  await writeXmrigSimulatorWrapper(wrapper.healthy, simArgs(1));
  await writeXmrigSimulatorWrapper(wrapper.crash, simArgs(2, '--sim-crash-after', '2000'));
  await writeXmrigSimulatorWrapper(wrapper.hang, simArgs(3, '--sim-hang-after', '2500'));
  await writeXmrigSimulatorWrapper(wrapper.garbage, simArgs(4, '--sim-garbage-api'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// One pool per case, so that a case's miner mines for real over the wire and nothing carries
// over from one case to the next.
let pool: CryptoNotePool | undefined;
const minerOptions = (binary?: string) => () => ({
  ...(binary === undefined ? {} : { binary }),
  pools: [{ url: (pool as CryptoNotePool).url, user: 'wallet', pass: 'x' }],
  hugePages: false,
});

describe.runIf(linux)('xmrig adapter × rigkit-sim-xmrig', () => {
  describeAdapterConformance(createXmrigAdapter({ binary: wrapper.healthy }), {
    name: 'adapter conformance: xmrig against rigkit-sim-xmrig',
    options: minerOptions(),
    faults: {
      crash: minerOptions(wrapper.crash),
      hang: minerOptions(wrapper.hang),
      garbage: minerOptions(wrapper.garbage),
    },
    // A miner whose API answers junk is not ready: its start times out (E_START_TIMEOUT) and
    // core restarts it. 5 s keeps that case short and is still ample for a healthy start.
    supervision: { startTimeoutMs: 5000 },
    timeoutMs: EVENT_TIMEOUT_MS,
    fixtures: {
      setup: async () => {
        pool = await startCryptoNotePool({ difficulty: POOL_DIFFICULTY });
      },
      teardown: async () => {
        const stats = pool?.stats();
        await pool?.close();
        pool = undefined;
        // A miner that logged in never submitted anything the pool refused.
        if (stats) expect(stats.rejected).toBe(0);
      },
    },
  });
});
