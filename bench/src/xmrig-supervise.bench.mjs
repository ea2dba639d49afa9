#!/usr/bin/env node
// 50 simulated xmrig processes (`rigkit-sim-xmrig`, each its own Node process, mining on one
// CryptoNote pool simulator) supervised by one core Manager through the xmrig adapter, sampled
// every 10 s and probed on core's default 10 s interval. Reports the manager process's own CPU
// (process.cpuUsage: the children are other processes) and RSS, and — separately — the
// children's total RSS from /proc/<pid>/status. The pool runs in a child process of its own,
// so the manager's numbers are the manager's. Run `turbo run build` first.
// Usage: node bench/src/xmrig-supervise.bench.mjs [--miners 50] [--seconds 60] [--interval 10000] [--batch 10]
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createXmrigAdapter } from '@rigkit/adapter-xmrig';
import { createManager } from '@rigkit/core';
import { writeXmrigSimulatorWrapper } from '@rigkit/testkit/simulators';

const { values } = parseArgs({
  options: {
    miners: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    interval: { type: 'string', default: '10000' },
    batch: { type: 'string', default: '10' },
  },
});
const miners = Number(values.miners);
const seconds = Number(values.seconds);
const intervalMs = Number(values.interval);
const batchSize = Number(values.batch);

/** @param {number} bytes */
const mib = (bytes) => Number((bytes / 2 ** 20).toFixed(1));

/** VmRSS of a process, bytes (0 if it is gone). @param {number} pid */
function rssOf(pid) {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * The pool simulator, in its own process. Difficulty 20 000: at 500–2500 H/s a miner finds a
 * share every 8–40 s, like a small real rig on a low-difficulty port.
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
async function startPoolProcess() {
  const script = `
    import { startCryptoNotePool } from '@rigkit/testkit/simulators';
    const pool = await startCryptoNotePool({ difficulty: 20000 });
    process.stdout.write(pool.url + '\\n');
    process.stdin.resume();
    process.stdin.on('end', async () => {
      process.stderr.write(JSON.stringify(pool.stats()) + '\\n');
      await pool.close();
      process.exit(0);
    });
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: import.meta.dirname,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stats = '';
  child.stderr.on('data', (chunk) => {
    stats += chunk;
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`pool exited with ${code}: ${stats}`)));
  });
  return {
    url: String(url),
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin.end();
      await exited;
      poolStats = stats.trim();
    },
  };
}
let poolStats = '';

const dir = mkdtempSync(join(tmpdir(), 'rigkit-bench-xmrig-'));
const pool = await startPoolProcess();
const manager = createManager({
  adapters: [createXmrigAdapter()],
  dataDir: join(dir, 'data'),
  monitor: false,
  maxMiners: miners,
  sampleIntervalMs: intervalMs,
});

let samples = 0;
let sampleErrors = 0;
let restarts = 0;
manager.events.on('miner.sample', () => {
  samples += 1;
});
manager.events.on('miner.sample.error', () => {
  sampleErrors += 1;
});
manager.events.on('miner.restart', () => {
  restarts += 1;
});

// Each miner its own wrapper: a different mean hashrate (500–2500 H/s) and seed.
/** @type {import('@rigkit/core').Miner[]} */
const created = [];
for (let i = 0; i < miners; i++) {
  const hashrate = 500 + Math.round((2000 * i) / Math.max(1, miners - 1));
  const binary = await writeXmrigSimulatorWrapper(join(dir, `xmrig-${i}`), [
    '--sim-hashrate',
    String(hashrate),
    '--sim-seed',
    String(i + 1),
  ]);
  created.push(
    await manager.create({
      kind: 'xmrig',
      name: `sim-${i}`,
      id: `sim-${i}`,
      options: {
        binary,
        pools: [{ url: pool.url, user: `wallet.${i}`, pass: 'x' }],
        hugePages: false,
        threads: 1,
      },
    }),
  );
}

// Started in batches, so a 2-core machine stays responsive while 50 Node processes boot.
const startedAt = performance.now();
for (let i = 0; i < created.length; i += batchSize) {
  await Promise.all(created.slice(i, i + batchSize).map((miner) => miner.start()));
}
const startMs = performance.now() - startedAt;
const running = () => created.filter((miner) => miner.state === 'running').length;
if (running() !== miners) throw new Error(`only ${running()} of ${miners} miners are running`);

globalThis.gc?.();
await sleep(2000); // settle: the start burst is over
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const samples0 = samples;
/** @type {number[]} */
const rssPoints = [];
let childrenRss = 0;
for (let s = 0; s < seconds; s++) {
  await sleep(1000);
  rssPoints.push(process.memoryUsage().rss);
  if (s === seconds - 1) {
    for (const miner of created) childrenRss += rssOf(miner.info().pid ?? 0);
  }
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
rssPoints.sort((a, b) => a - b);
const stillRunning = running();
const lastSamples = created.map((miner) => miner.lastSample);
const hashrates = lastSamples.map((sample) => sample?.hashrate ?? 0);
const accepted = lastSamples.reduce((sum, sample) => sum + (sample?.shares?.accepted ?? 0), 0);

const stopStart = performance.now();
await manager.close();
const stopMs = performance.now() - stopStart;
await pool.stop();
rmSync(dir, { recursive: true, force: true });

process.stdout.write(
  `${JSON.stringify({
    bench: 'xmrig.supervise_50',
    miners,
    seconds,
    sampleIntervalMs: intervalMs,
    managerCpuPercentOfOneCore: Number(cpuPercent.toFixed(2)),
    managerRssMiB: mib(rssPoints[Math.floor(rssPoints.length / 2)] ?? 0),
    managerRssMaxMiB: mib(rssPoints.at(-1) ?? 0),
    managerHeapUsedMiB: mib(process.memoryUsage().heapUsed),
    childrenRssMiB: mib(childrenRss),
    childRssMeanMiB: mib(childrenRss / miners),
    samplesPerMiner: Number(((samples - samples0) / miners).toFixed(2)),
    sampleErrors,
    restarts,
    running: stillRunning,
    meanHashrate: Math.round(hashrates.reduce((a, b) => a + b, 0) / miners),
    sharesAccepted: accepted,
    startAllMs: Math.round(startMs),
    closeAllMs: Math.round(stopMs),
    pool: JSON.parse(poolStats || '{}'),
  })}\n`,
);
