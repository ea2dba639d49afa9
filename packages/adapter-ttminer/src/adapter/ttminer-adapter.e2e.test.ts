import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createManager, type Manager, type MinerEvent } from '@rigkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCapturingLogger } from '../test-support/capturing-logger.js';
import { createTtminerAdapter } from './create-ttminer-adapter.js';

const PASS = 'SENTINEL-PASS-9f3a';
const API_PW = 'SENTINEL-API-7c1e';
const linux = process.platform === 'linux';
let root: string;
let manager: Manager | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rigkit-ttminer-e2e-'));
});
afterEach(async () => {
  await manager?.close();
  manager = undefined;
  await rm(root, { recursive: true, force: true });
});

/** An executable that runs the fake TT-Miner with this Node (no chmod on the source tree). */
async function fakeTtminerBinary(): Promise<string> {
  const script = fileURLToPath(new URL('../test-support/fake-ttminer.mjs', import.meta.url));
  const bin = join(root, 'TT-Miner');
  await writeFile(bin, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
  await chmod(bin, 0o755);
  return bin;
}

describe.runIf(linux)('TT-Miner adapter with core (fake TT-Miner process)', () => {
  it('starts at 0 H/s, parses stdout, samples per-GPU rows, stops, logging no secret', async () => {
    const logger = createCapturingLogger();
    const binary = await fakeTtminerBinary();
    const adapter = createTtminerAdapter({ binary });
    expect(await adapter.detect?.({ logger, signal: new AbortController().signal })).toEqual({
      found: true,
      path: binary,
      version: '2024.3.2',
    });
    manager = createManager({
      adapters: [adapter],
      dataDir: join(root, 'data'),
      logger,
      sampleIntervalMs: 0,
      monitor: false,
      supervision: { readyPollMs: 25, probeIntervalMs: 60_000 },
    });
    const miner = await manager.create({
      kind: 'ttminer',
      name: 'rig-1',
      options: {
        pools: [
          { url: 'stratum+tcp://127.0.0.1:14444', user: 'RWallet', worker: 'rig1', pass: PASS },
        ],
        algo: 'kawpow',
        devices: [0, 1],
        apiPassword: API_PW,
      },
    });
    // The adapter's warm-up reaches core's watchdog (the user set none).
    expect(miner.supervision.warmupMs).toBe(180_000);
    const events: MinerEvent[] = [];
    let onGpuLine: () => void = () => {};
    const gotGpuLine = new Promise<void>((resolve) => {
      onGpuLine = resolve;
    });
    miner.on('miner.log', ({ event }) => {
      if (!event) return;
      events.push(event);
      if (event.type === 'gpu.hashrate') onGpuLine();
    });

    await miner.start(); // ready on the first answer, which says 0 H/s
    await gotGpuLine;
    expect(events.map((e) => e.type)).toEqual([
      'pool.connected',
      'job',
      'share.accepted',
      'gpu.hashrate',
    ]);
    expect(events[0]?.data).toEqual({ pool: '127.0.0.1:14444' });

    const sample = await miner.sample({ timeoutMs: 2000 });
    expect(sample).toMatchObject({
      hashrate: 29_191,
      algo: 'KAWPOW',
      uptimeSeconds: 2880,
      devices: [
        { id: 'gpu:0', hashrate: 14_683, temperatureC: 53, fanPercent: 90 },
        { id: 'gpu:1', hashrate: 14_508, temperatureC: 50, fanPercent: 90 },
      ],
    });

    // Documented: the pool password is on TT-Miner's command line (no config file exists).
    const pid = miner.info().pid as number;
    const cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
    expect(cmdline).toContain('-b');
    expect(cmdline[cmdline.indexOf('-b') + 1]).toMatch(/^127\.0\.0\.1:\d+$/);

    await miner.stop();
    expect(miner.info().lastExit).toMatchObject({ code: 0 });
    expect(logger.text()).not.toContain(PASS);
    expect(logger.text()).not.toContain(API_PW);
    const pidDir = join(root, 'data', 'pids');
    if (existsSync(pidDir)) expect(await readdir(pidDir)).toEqual([]);
  });
});
