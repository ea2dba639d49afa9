#!/usr/bin/env node
// WebSocket fan-out: 1000 clients on /api/v1/events, the server emits `miner.sample` events at a
// fixed rate, each stamped with its emit time; every client records receive time − emit time.
// The server runs in this process; the 1000 clients run in a forked child (so client parsing
// does not delay the server's loop) and report their latencies over IPC. Both processes share
// the machine's cores. Against the BUILT packages: `npx turbo run build --filter=@rigkit/server...`.
// Prints one JSON object per line on stdout and nothing else.
// Usage: node bench/src/server-ws-fanout.bench.mjs [--clients 1000] [--events 200] [--rate 20]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const TOKEN = 'bench-token-0123456789abcdef0123456789abcdef';
const TARGET_P99_MS = 50;

/** @param {Record<string, unknown>} line */
function emit(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** Wall-clock ms with sub-ms resolution, comparable across processes on one machine. */
function nowMs() {
  return performance.timeOrigin + performance.now();
}

if (process.argv.includes('--clients-child')) await clients();
else await server();

/**
 * @typedef {{ type: 'connect', url: string, clients: number }
 *   | { type: 'report' }} ToChild
 * @typedef {{ type: 'connected', failed: number }
 *   | { type: 'report', deliveries: number, p50: number, p99: number, p999: number,
 *       max: number, perClientMin: number, perClientMax: number }} FromChild
 */

/** Parent: the app with a big enough hub, driving events; collects the child's report. */
async function server() {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '1000' },
      events: { type: 'string', default: '200' },
      rate: { type: 'string', default: '20' },
    },
  });
  const clientCount = Number(values.clients);
  const events = Number(values.events);
  const rate = Number(values.rate);

  const { createManager } = await import('@rigkit/core');
  const { buildApp } = await import('@rigkit/server');
  const dataDir = mkdtempSync(join(tmpdir(), 'rigkit-bench-ws-'));
  const manager = createManager({ adapters: [], dataDir, sampleIntervalMs: 0 });
  const { app, hub } = await buildApp({
    manager,
    token: TOKEN,
    rateLimitPerMinute: false,
    ws: { maxClients: clientCount + 10 },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const child = fork(fileURLToPath(import.meta.url), ['--clients-child'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  /** @param {ToChild} message @returns {Promise<FromChild>} */
  const ask = async (message) => {
    child.send(message);
    const [answer] = await once(child, 'message');
    return /** @type {FromChild} */ (answer);
  };

  const t0 = performance.now();
  const connected = await ask({
    type: 'connect',
    url: `ws://127.0.0.1:${port}/api/v1/events`,
    clients: clientCount,
  });
  const connectMs = performance.now() - t0;
  while (hub.size < clientCount - (connected.type === 'connected' ? connected.failed : 0)) {
    await sleep(10);
  }
  const attached = hub.size;

  // A sample like a real rig's, stamped with the emit time (sub-ms) in `time`.
  const intervalMs = 1000 / rate;
  const start = performance.now();
  const elu0 = performance.eventLoopUtilization();
  for (let i = 0; i < events; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    manager.events.emit('miner.sample', {
      minerId: `m${i % 10}`,
      sample: {
        time: nowMs(),
        hashrate: 12_345.6,
        hashrate10s: 12_340.1,
        hashrate60s: 12_338.9,
        shares: { accepted: 100 + i, rejected: 1 },
        pool: 'pool.example:3333',
        algo: 'rx/0',
        uptimeSeconds: i,
      },
    });
  }
  const elu = performance.eventLoopUtilization(elu0);
  await sleep(1000); // let the last event arrive everywhere

  const report = await ask({ type: 'report' });
  if (report.type !== 'report') throw new Error('unexpected answer from the client process');
  emit({
    bench: 'server.ws_fanout',
    clients: attached,
    connectMs: Math.round(connectMs),
    events,
    ratePerSecond: rate,
    deliveries: report.deliveries,
    expectedDeliveries: attached * events,
    p50: report.p50,
    p99: report.p99,
    p999: report.p999,
    max: report.max,
    unit: 'ms',
    serverEventLoopUtilization: Math.round(elu.utilization * 1000) / 1000,
    droppedSlowClients: hub.droppedSlowClients,
    sameProcess: false,
    clientsIn: 'forked child process (same 2-core machine)',
    loadavg1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    target_p99_ms: TARGET_P99_MS,
    pass: report.p99 <= TARGET_P99_MS && report.deliveries === attached * events,
  });

  child.disconnect();
  await exited;
  await app.close();
  await manager.close();
  rmSync(dataDir, { recursive: true, force: true });
}

/** Child: opens the clients, records latencies, answers over IPC. */
async function clients() {
  const { default: WebSocket } = await import('ws');
  /** @type {import('ws').WebSocket[]} */
  const sockets = [];
  /** @type {number[]} */
  const latencies = [];
  /** @type {number[]} */
  const perClient = [];

  /** @param {string} url @param {number} index */
  const open = (url, index) =>
    new Promise((resolve) => {
      const ws = new WebSocket(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      perClient[index] = 0;
      ws.on('message', (data) => {
        const received = nowMs();
        const message = JSON.parse(String(data));
        if (message.type !== 'event') return;
        latencies.push(received - message.data.sample.time);
        perClient[index] = (perClient[index] ?? 0) + 1;
      });
      ws.once('open', () => resolve(true));
      ws.once('error', () => resolve(false));
      sockets.push(ws);
    });

  process.on('message', async (/** @type {ToChild} */ message) => {
    if (message.type === 'connect') {
      let failed = 0;
      for (let i = 0; i < message.clients; i += 100) {
        const batch = [];
        for (let j = i; j < Math.min(i + 100, message.clients); j++) {
          batch.push(open(message.url, j));
        }
        failed += (await Promise.all(batch)).filter((ok) => !ok).length;
      }
      process.send?.({ type: 'connected', failed });
    } else if (message.type === 'report') {
      const sorted = Float64Array.from(latencies).sort();
      const at = (/** @type {number} */ q) =>
        round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN);
      process.send?.({
        type: 'report',
        deliveries: sorted.length,
        p50: at(0.5),
        p99: at(0.99),
        p999: at(0.999),
        max: round(sorted.at(-1) ?? NaN),
        perClientMin: Math.min(...perClient),
        perClientMax: Math.max(...perClient),
      });
    }
  });
  process.once('disconnect', () => {
    for (const ws of sockets) ws.terminate();
  });
}

/** @param {number} value */
function round(value) {
  return Math.round(value * 1000) / 1000;
}
