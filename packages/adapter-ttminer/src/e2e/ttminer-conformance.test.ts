// The adapter conformance suite of @rigkit/testkit, run against `rigkit-sim-ttminer`: the
// TT-Miner adapter meets the contract core relies on, including crash, hang and garbage-API
// faults. No pool is reachable (a closed loopback port): the simulator starts, answers its API
// at 0 H/s and is sampled, which is all the contract needs.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeAdapterConformance } from '@rigkit/testkit';
import { writeTtminerSimulatorWrapper } from '@rigkit/testkit/simulators';
import { afterAll, beforeAll, describe } from 'vitest';
import { createTtminerAdapter } from '../adapter/create-ttminer-adapter.js';
import { closedPort, EVENT_TIMEOUT_MS, simArgs } from './sim-harness.js';

const linux = process.platform === 'linux';
const TIME_SCALE = 10;

// Paths are fixed now (the suite is defined synchronously); the wrappers are written before
// the first case runs.
const dir = mkdtempSync(join(tmpdir(), 'rigkit-ttminer-conformance-'));
const wrapper = {
  healthy: join(dir, 'TT-Miner'),
  // Exits with code 1 two seconds after it started.
  crash: join(dir, 'TT-Miner-crash'),
  // Its API stops answering (connections accepted, never answered) 2.5 s after it started:
  // after it became ready, even on a slow machine.
  hang: join(dir, 'TT-Miner-hang'),
  // Answers every API request with a line that is not JSON.
  garbage: join(dir, 'TT-Miner-garbage'),
};
let poolPort = 0;

beforeAll(async () => {
  mkdirSync(dir, { recursive: true });
  poolPort = await closedPort();
  await writeTtminerSimulatorWrapper(wrapper.healthy, simArgs(1, TIME_SCALE));
  await writeTtminerSimulatorWrapper(
    wrapper.crash,
    simArgs(2, TIME_SCALE, '--sim-crash-after', '2000'),
  );
  await writeTtminerSimulatorWrapper(
    wrapper.hang,
    simArgs(3, TIME_SCALE, '--sim-hang-after', '2500'),
  );
  await writeTtminerSimulatorWrapper(wrapper.garbage, simArgs(4, TIME_SCALE, '--sim-garbage-api'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minerOptions = (binary?: string) => () => ({
  ...(binary === undefined ? {} : { binary }),
  pools: [{ url: `127.0.0.1:${poolPort}`, user: 'RWallet', worker: 'rig1', pass: 'x' }],
  algo: 'KAWPOW',
  devices: [0, 1],
});

describe.runIf(linux)('TT-Miner adapter × rigkit-sim-ttminer', () => {
  describeAdapterConformance(createTtminerAdapter({ binary: wrapper.healthy }), {
    name: 'adapter conformance: ttminer against rigkit-sim-ttminer',
    options: minerOptions(),
    faults: {
      crash: minerOptions(wrapper.crash),
      hang: minerOptions(wrapper.hang),
      garbage: minerOptions(wrapper.garbage),
    },
    // A miner whose API answers junk is not ready: its start times out (E_START_TIMEOUT) and
    // core restarts it. 3 s keeps that case short and is still ample for a healthy start.
    supervision: { startTimeoutMs: 3000 },
    timeoutMs: EVENT_TIMEOUT_MS,
  });
});
