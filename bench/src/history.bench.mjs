#!/usr/bin/env node
// HashrateHistory benchmarks, against the built @rigkit/core (run `turbo run build` first).
// Prints one JSON object per line on stdout and nothing else. Run with --expose-gc (run-all.mjs
// does) so heap readings are taken after a full collection.
import { HashrateHistory } from '@rigkit/core';

const RUNS = 7;
const WARMUP_RUNS = 2;
const APPENDS_PER_RUN = 1_000_000;
const FILL_RUNS = 50;
const MINERS_FOR_HEAP = 1000;
const STEP_MS = 10_000;
const CHUNK = 10_000;
const DAY_MS = 86_400_000;
const POINTS_PER_DAY = DAY_MS / STEP_MS;
// A fixed, minute-aligned wall-clock time: the class never reads a clock, so neither do we.
const T0 = 1_700_000_040_000;

const APPEND_TARGET = 5_000_000;
const BYTES_TARGET = 32 * 1024;

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

/** @param {number} value */
function round(value) {
  return Math.round(value * 100) / 100;
}

function collect() {
  globalThis.gc?.();
}

/** Heap plus off-heap ArrayBuffer bytes: large typed arrays are not counted in heapUsed. */
function memory() {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * Appends `count` points 10 s apart with a slowly varying hashrate, as the stats loop would.
 * @param {HashrateHistory} history
 * @param {number} start
 * @param {number} count
 */
function fill(history, start, count) {
  for (let done = 0; done < count; done += CHUNK) {
    fillChunk(history, start + done * STEP_MS, Math.min(CHUNK, count - done), done);
  }
}

/**
 * Short chunks with the time computed from the index, not carried across iterations: one long
 * loop gets on-stack-replaced and V8 may keep a loop-carried double tagged, boxing every
 * epoch-ms `time` on the heap. That would be the harness allocating, not `append`.
 * @param {HashrateHistory} history
 * @param {number} base
 * @param {number} count
 * @param {number} offset
 */
function fillChunk(history, base, count, offset) {
  for (let i = 0; i < count; i += 1) {
    history.append(base + i * STEP_MS, 1_000_000 + ((offset + i) & 1023));
  }
}

function benchAppend() {
  /** @type {number[]} */
  const runs = [];
  /** @type {number[]} */
  const heapDeltas = [];
  for (let run = 0; run < WARMUP_RUNS + RUNS; run += 1) {
    const history = new HashrateHistory();
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    fill(history, T0, APPENDS_PER_RUN);
    const elapsedMs = performance.now() - started;
    const heapDelta = process.memoryUsage().heapUsed - heapBefore;
    if (run < WARMUP_RUNS) continue;
    runs.push(Math.round((APPENDS_PER_RUN / elapsedMs) * 1000));
    heapDeltas.push(heapDelta);
  }
  const rate = median(runs);
  emit({
    bench: 'history.append',
    unit: 'appends/s',
    median: rate,
    runs,
    appendsPerRun: APPENDS_PER_RUN,
    target: APPEND_TARGET,
    ok: rate >= APPEND_TARGET,
  });
  // Heap growth across one run with no GC in between: ~16 MB if every append allocated a
  // HeapNumber, a few KB (timer and bookkeeping) when the hot path is allocation-free.
  emit({
    bench: 'history.append_heap_delta',
    unit: 'bytes/run',
    median: median(heapDeltas),
    runs: heapDeltas,
    appendsPerRun: APPENDS_PER_RUN,
  });
}

function benchFillDay() {
  /** @type {number[]} */
  const runs = [];
  let sizes = { high: 0, low: 0 };
  for (let run = 0; run < FILL_RUNS; run += 1) {
    const history = new HashrateHistory();
    const started = performance.now();
    fill(history, T0, POINTS_PER_DAY);
    history.trim(T0 + DAY_MS);
    runs.push(performance.now() - started);
    sizes = history.size;
  }
  emit({
    bench: 'history.fill_24h_and_trim',
    unit: 'ms',
    median: round(median(runs)),
    min: round(Math.min(...runs)),
    max: round(Math.max(...runs)),
    runs: FILL_RUNS,
    points: POINTS_PER_DAY,
    size: sizes,
  });
}

function benchBytesPerMiner() {
  const single = new HashrateHistory();
  fill(single, T0, POINTS_PER_DAY);
  single.trim(T0 + DAY_MS);

  // What a miner really costs, object headers and ArrayBuffer bookkeeping included.
  collect();
  const before = memory();
  const miners = Array.from({ length: MINERS_FOR_HEAP }, () => new HashrateHistory());
  for (const history of miners) {
    fill(history, T0, POINTS_PER_DAY);
    history.trim(T0 + DAY_MS);
  }
  collect();
  const measured = Math.round((memory() - before) / miners.length);

  emit({
    bench: 'history.bytes_per_miner_24h',
    bytes: single.byteLength,
    measuredBytes: measured,
    miners: miners.length,
    size: single.size,
    target: BYTES_TARGET,
    ok: single.byteLength <= BYTES_TARGET && measured <= BYTES_TARGET,
  });
}

if (globalThis.gc === undefined) {
  process.stderr.write('history.bench: run with --expose-gc for accurate heap numbers\n');
}
benchAppend();
benchFillDay();
benchBytesPerMiner();
