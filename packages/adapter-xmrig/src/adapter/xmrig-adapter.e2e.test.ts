import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createManager, type Manager, type MinerEvent } from '@rigkit/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { xmrigCommands } from '../stdin/xmrig-commands.js';
import { createCapturingLogger } from '../test-support/capturing-logger.js';
import { createXmrigAdapter } from './create-xmrig-adapter.js';

const PASS = 'SENTINEL-PASS-9f3a';
const linux = process.platform === 'linux';
let root: string;
let manager: Manager | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'rigkit-xmrig-e2e-'));
});
afterEach(async () => {
  await manager?.close();
  manager = undefined;
  await rm(root, { recursive: true, force: true });
});

/** An executable that runs the fake xmrig with this Node (no chmod on the source tree). */
async function fakeXmrigBinary(): Promise<string> {
  const script = fileURLToPath(new URL('../test-support/fake-xmrig.mjs', import.meta.url));
  const bin = join(root, 'xmrig');
  await writeFile(bin, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
  await chmod(bin, 0o755);
  return bin;
}

describe.runIf(linux)('xmrig adapter with core (fake xmrig process)', () => {
  it('starts, samples, takes stdin keys, stops and removes its config file, leaking no secret', async () => {
    const logger = createCapturingLogger();
    const adapter = createXmrigAdapter({ binary: await fakeXmrigBinary() });
    manager = createManager({
      adapters: [adapter],
      dataDir: join(root, 'data'),
      logger,
      sampleIntervalMs: 0,
      monitor: false,
      supervision: { warmupMs: 0, readyPollMs: 25, probeIntervalMs: 200, stallTimeoutMs: 0 },
    });
    const miner = await manager.create({
      kind: 'xmrig',
      name: 'rig-1',
      options: { pools: [{ url: 'stratum+tcp://127.0.0.1:13333', user: 'wallet', pass: PASS }] },
    });
    const events: MinerEvent[] = [];
    const waiters = new Map<string, () => void>();
    miner.on('miner.log', ({ event }) => {
      if (!event) return;
      events.push(event);
      waiters.get(event.type)?.();
    });
    const next = (type: string) => new Promise<void>((resolve) => waiters.set(type, resolve));

    const ready = next('share.accepted');
    await miner.start();
    await ready;
    expect(events.map((e) => e.type)).toEqual(['pool.connected', 'ready', 'share.accepted']);

    const minerDir = join(root, 'data', 'miners', miner.id);
    const configs = (await readdir(minerDir)).filter((f) => f.endsWith('.json'));
    expect(configs).toHaveLength(1);
    expect((await stat(join(minerDir, configs[0] as string))).mode & 0o777).toBe(0o600);

    const sample = await miner.sample({ timeoutMs: 2000 });
    expect(sample).toMatchObject({
      hashrate: 18.55,
      shares: { accepted: 5, rejected: 2 },
      devices: [{ id: 'cpu:0', hashrate: 18.55 }],
    });

    const paused = next('paused');
    miner.write(xmrigCommands.pause);
    await paused;
    const resumed = next('resumed');
    miner.write(xmrigCommands.resume);
    await resumed;

    // Neither the command line nor core's pidfile holds a secret.
    const pid = miner.info().pid as number;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    expect(cmdline).toContain('--config');
    const pidDir = join(root, 'data', 'pids');
    const pidfiles = existsSync(pidDir)
      ? await Promise.all((await readdir(pidDir)).map((f) => readFile(join(pidDir, f), 'utf8')))
      : [];
    const token = await readFile(join(minerDir, configs[0] as string), 'utf8').then(
      (text) => JSON.parse(text).http['access-token'] as string,
    );
    for (const text of [cmdline, ...pidfiles]) {
      expect(text).not.toContain(PASS);
      expect(text).not.toContain(token);
    }

    const exiting = next('exiting');
    await miner.stop();
    await exiting;
    expect(miner.info().lastExit).toMatchObject({ code: 0 });
    expect((await readdir(minerDir)).filter((f) => f.endsWith('.json'))).toEqual([]);
    expect(logger.text()).not.toContain(PASS);
    expect(logger.text()).not.toContain(token);
  });
});
