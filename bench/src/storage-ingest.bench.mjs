#!/usr/bin/env node
// Ingest through @rigkit/storage's batched writer (run `turbo run build` first).
//
// 100 miners sampled every 10 s: each run pushes SAMPLES_PER_RUN samples through
// `storage.writeSample()` — the HistorySink hot path the manager calls — in bursts of one
// stats-loop tick at a time for many ticks, yielding to the event loop between bursts as a
// real process would, then waits for `flush()`. The rate is samples / (first write → last
// commit), so it includes validation, share deltas, queueing, kysely and SQLite (WAL,
// synchronous=NORMAL) on a file in the OS temp dir. Timers for roll-ups are off: this measures
// the writer alone.
//
// Prints one JSON object per line on stdout and nothing else.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '@rigkit/storage';

const RUNS = 5;
const WARMUP_RUNS = 1;
const MINERS = 100;
const SAMPLES_PER_RUN = 1_000_000;
/** Ticks written back to back before yielding: a burst the size of the writer's batch. */
const TICKS_PER_BURST = 50;
const STEP_MS = 10_000;
const TARGET = 200_000;

/** @param {Record<string, unknown>} line */
function emit(line) {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** @param {number[]} values */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

const ids = Array.from({ length: MINERS }, (_, i) => `miner-${String(i).padStart(3, '0')}`);

async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'rigkit-bench-'));
  const file = join(dir, 'ingest.db');
  // 10 000 ticks of 10 s: 28 h, inside the default 48 h raw retention.
  const ticks = SAMPLES_PER_RUN / MINERS;
  const start = 1_700_000_000_000;
  const end = start + ticks * STEP_MS;
  const storage = await createStorage({
    file,
    now: () => end,
    maintenance: { enabled: false },
  });
  const began = performance.now();
  for (let tick = 0; tick < ticks; tick += TICKS_PER_BURST) {
    const last = Math.min(ticks, tick + TICKS_PER_BURST);
    for (let t = tick; t < last; t += 1) {
      const time = start + t * STEP_MS;
      for (let m = 0; m < MINERS; m += 1) {
        storage.writeSample(/** @type {string} */ (ids[m]), {
          time,
          hashrate: 1_000_000 + ((t * 7 + m) & 1023),
          shares: { accepted: t >> 3, rejected: 0 },
        });
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  await storage.flush();
  const elapsed = performance.now() - began;
  const stats = storage.stats();
  await storage.close();
  const bytes = statSync(file).size;
  rmSync(dir, { recursive: true, force: true });
  return { rate: Math.round((SAMPLES_PER_RUN / elapsed) * 1000), stats, bytes };
}

/** @type {number[]} */
const runs = [];
let last;
for (let i = 0; i < WARMUP_RUNS + RUNS; i += 1) {
  const result = await run();
  last = result;
  if (i >= WARMUP_RUNS) runs.push(result.rate);
}
const rate = median(runs);
emit({
  bench: 'storage.ingest',
  unit: 'samples/s',
  median: rate,
  runs,
  samplesPerRun: SAMPLES_PER_RUN,
  miners: MINERS,
  dropped: last?.stats.dropped,
  written: last?.stats.samples.written,
  flushes: last?.stats.flushes,
  bytesPerSample:
    last === undefined ? undefined : Math.round((last.bytes / SAMPLES_PER_RUN) * 10) / 10,
  target: TARGET,
  ok: rate >= TARGET,
});
