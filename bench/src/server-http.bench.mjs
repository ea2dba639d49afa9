#!/usr/bin/env node
// GET /api/v1/miners with 100 in-process miners, driven by autocannon. The server runs in a
// forked child process (its own event loop, ideally its own core of the 2) and autocannon in
// this one, so the load generator does not steal the server's loop. Against the BUILT packages:
// run `npx turbo run build --filter=@rigkit/server...` first.
// Prints one JSON object per line on stdout and nothing else.
// Usage: node bench/src/server-http.bench.mjs [--rate 1000] [--seconds 10] [--runs 3]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const MINERS = 100;
const TOKEN = 'bench-token-0123456789abcdef0123456789abcdef';
const TARGET_P99_MS = 5;

/** @param {Record<string, unknown>} line */
function emit(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

if (process.argv.includes('--serve')) await serve();
else await drive();

/** Child: the app with 100 started, sampled miners on 127.0.0.1:0; exits when told to. */
async function serve() {
  const { createManager, defineAdapter } = await import('@rigkit/core');
  const { buildApp } = await import('@rigkit/server');
  /** @type {import('@standard-schema/spec').StandardSchemaV1<unknown, {}>} */
  const noOptions = {
    '~standard': { version: 1, vendor: 'bench', validate: (value) => ({ value: value ?? {} }) },
  };
  // A miner that lives in the process (no child): the numbers are the server's own cost.
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
      hashrate10s: 1001,
      hashrate60s: 1002,
      shares: { accepted: 12, rejected: 1 },
      pool: 'pool.example:3333',
      algo: 'rx/0',
      uptimeSeconds: 42,
    }),
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'rigkit-bench-http-'));
  const manager = createManager({
    adapters: [inProcess],
    dataDir,
    maxMiners: MINERS,
    sampleIntervalMs: 0,
    supervision: { probeIntervalMs: 60_000 },
  });
  const { app } = await buildApp({ manager, token: TOKEN, rateLimitPerMinute: false });
  for (let i = 0; i < MINERS; i++) {
    const miner = await manager.create({ kind: 'bench', name: `miner ${i}`, id: `m${i}` });
    await miner.start();
    await miner.sample(); // so every DTO carries a lastSample, as on a real rig
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.send?.({ port });
  // 'mark' → the server's CPU time and event-loop utilisation since the previous mark.
  let cpu = process.cpuUsage();
  let elu = performance.eventLoopUtilization();
  for (;;) {
    const [message] = await once(process, 'message');
    if (message !== 'mark') break;
    const cpuDelta = process.cpuUsage(cpu);
    const eluDelta = performance.eventLoopUtilization(elu);
    cpu = process.cpuUsage();
    elu = performance.eventLoopUtilization();
    process.send?.({
      cpuMs: (cpuDelta.user + cpuDelta.system) / 1000,
      elu: eluDelta.utilization,
    });
  }
  await app.close();
  await manager.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.disconnect?.();
}

/** Parent: autocannon at a fixed rate (several runs), then unthrottled. */
async function drive() {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '10' },
      runs: { type: 'string', default: '3' },
    },
  });
  const rate = Number(values.rate);
  const duration = Number(values.seconds);
  const runs = Number(values.runs);

  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit');
  const [ready] = /** @type {[{ port: number }]} */ (await once(child, 'message'));
  /** @returns {Promise<{ cpuMs: number, elu: number }>} */
  const mark = async () => {
    child.send('mark');
    const [usage] = await once(child, 'message');
    return usage;
  };
  const url = `http://127.0.0.1:${ready.port}/api/v1/miners`;

  // Check the response once, so the bench cannot silently measure errors.
  const probe = await fetch(url);
  const body = /** @type {{ miners: unknown[] }} */ (await probe.json());
  if (probe.status !== 200 || body.miners.length !== MINERS) {
    throw new Error(`unexpected response: ${probe.status}, ${body.miners.length} miners`);
  }
  const responseBytes = JSON.stringify(body).length;

  await measure(url, { connections: 10, duration: 2, overallRate: rate }); // warm-up (JIT)
  await mark();

  const p99s = [];
  for (let run = 1; run <= runs; run++) {
    const r = await measure(url, { connections: 10, duration, overallRate: rate });
    const server = await mark();
    p99s.push(r.p99);
    emit({
      bench: 'server.get_miners',
      run,
      miners: MINERS,
      rate,
      connections: 10,
      seconds: duration,
      achievedRps: r.rps,
      p50: r.p50,
      p99: r.p99,
      p999: r.p999,
      max: r.max,
      p99_autocannon: r.p99Autocannon,
      errors: r.errors,
      timeouts: r.timeouts,
      non2xx: r.non2xx,
      responseBytes,
      serverCpuMsPerRequest: round(server.cpuMs / Math.max(1, r.requests)),
      serverEventLoopUtilization: round(server.elu),
      unit: 'ms',
      serverIn: 'forked child process (same 2-core machine)',
      loadavg1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
      target_p99_ms: TARGET_P99_MS,
    });
  }
  const medianP99 = median(p99s);
  emit({
    bench: 'server.get_miners.summary',
    miners: MINERS,
    rate,
    runs,
    median_p99: medianP99,
    target_p99_ms: TARGET_P99_MS,
    pass: medianP99 <= TARGET_P99_MS,
  });

  const max = await measure(url, { connections: 10, duration });
  const maxServer = await mark();
  emit({
    bench: 'server.get_miners.max_throughput',
    miners: MINERS,
    connections: 10,
    seconds: duration,
    rps: max.rps,
    p50: max.p50,
    p99: max.p99,
    errors: max.errors,
    non2xx: max.non2xx,
    serverCpuMsPerRequest: round(maxServer.cpuMs / Math.max(1, max.requests)),
    serverEventLoopUtilization: round(maxServer.elu),
    unit: 'ms',
    loadavg1: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  });

  child.send('stop');
  await exited;
}

/**
 * One autocannon run. Latencies are recorded from each response at sub-millisecond
 * resolution (autocannon's own histogram has 1 ms resolution; its p99 is reported as well).
 * @param {string} url
 * @param {{ connections: number, duration: number, overallRate?: number }} options
 */
async function measure(url, options) {
  /** @type {number[]} */
  const latencies = [];
  /** @type {autocannon.Result} */
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon({ url, ...options }, (error, done) =>
      error ? reject(error) : resolve(done),
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      if (status === 200) latencies.push(ms);
    });
  });
  latencies.sort((a, b) => a - b);
  const at = (/** @type {number} */ q) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN);
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.total / (result.duration || options.duration)),
    p50: at(0.5),
    p99: at(0.99),
    p999: at(0.999),
    max: round(latencies.at(-1) ?? NaN),
    p99Autocannon: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
  };
}

/** @param {number} value */
function round(value) {
  return Math.round(value * 1000) / 1000;
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? NaN;
}
