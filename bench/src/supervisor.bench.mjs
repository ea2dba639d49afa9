#!/usr/bin/env node
// Supervising N in-process fake miners, sampled every second: CPU share of one core and RSS.
// Usage: node --expose-gc bench/src/supervisor.bench.mjs [--miners 1000] [--seconds 60] [--interval 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createManager, defineAdapter } from '@rigkit/core';

const { values } = parseArgs({
  options: {
    miners: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    interval: { type: 'string', default: '1000' },
  },
});
const miners = Number(values.miners);
const seconds = Number(values.seconds);
const intervalMs = Number(values.interval);

/** @type {import('@standard-schema/spec').StandardSchemaV1<unknown, {}>} */
const noOptions = {
  '~standard': { version: 1, vendor: 'bench', validate: (value) => ({ value: value ?? {} }) },
};

// A miner that lives in the process: no child, so the numbers are core's own overhead.
const inProcess = defineAdapter({
  apiVersion: 1,
  kind: 'bench',
  meta: { name: 'bench', version: '1.0.0', core: '*' },
  options: noOptions,
  runner: () => ({ start: async () => {}, stop: async () => {} }),
  probe: async () => ({ healthy: true, ready: true, hashrate: 1000 }),
  stats: async () => ({
    time: Date.now(),
    hashrate: 1000 + Math.random() * 10,
    shares: { accepted: 1, rejected: 0 },
  }),
});

const dataDir = mkdtempSync(join(tmpdir(), 'rigkit-bench-'));
const manager = createManager({
  adapters: [inProcess],
  dataDir,
  monitor: false,
  maxMiners: miners,
  sampleIntervalMs: intervalMs,
});
for (let i = 0; i < miners; i++)
  await manager.create({ kind: 'bench', name: `m${i}`, id: `m${i}` });
await manager.startAll();
let samples = 0;
manager.events.on('miner.sample', () => {
  samples += 1;
});

globalThis.gc?.();
await sleep(2000); // settle: the first ticks allocate the history rings' working set
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const samples0 = samples;
const rssPoints = [];
for (let s = 0; s < seconds; s++) {
  await sleep(1000);
  rssPoints.push(process.memoryUsage().rss);
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuPercent = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
rssPoints.sort((a, b) => a - b);
const rssMedian = rssPoints[Math.floor(rssPoints.length / 2)] ?? 0;
const heapUsed = process.memoryUsage().heapUsed;

process.stdout.write(
  `${JSON.stringify({
    bench: 'supervisor.cpu',
    miners,
    intervalMs,
    seconds,
    cpuPercentOfOneCore: Number(cpuPercent.toFixed(2)),
    target: 5,
    samplesPerSecond: Math.round(((samples - samples0) / wallMs) * 1000),
  })}\n`,
);
process.stdout.write(
  `${JSON.stringify({
    bench: 'supervisor.memory',
    miners,
    rssMedianMiB: Number((rssMedian / 2 ** 20).toFixed(1)),
    heapUsedMiB: Number((heapUsed / 2 ** 20).toFixed(1)),
  })}\n`,
);
await manager.close();
rmSync(dataDir, { recursive: true, force: true });
