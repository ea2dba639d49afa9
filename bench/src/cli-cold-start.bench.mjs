#!/usr/bin/env node
// `rigkit --version` cold start, against the built CLI (run `turbo run build` first): spawns
// `node apps/cli/dist/bin.js --version` RUNS times after WARMUP_RUNS unmeasured runs (which warm
// the OS file cache, not Node: every run is a new process). Prints one JSON line on stdout.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RUNS = 30;
const WARMUP_RUNS = 3;
const TARGET_MS = 120;
const BIN = fileURLToPath(new URL('../../apps/cli/dist/bin.js', import.meta.url));

/** @param {number[]} sorted @param {number} q */
function quantile(sorted, q) {
  const index = (sorted.length - 1) * q;
  const lower = Math.floor(index);
  const upper = Math.ceil(index);
  const a = sorted[lower] ?? Number.NaN;
  const b = sorted[upper] ?? Number.NaN;
  return a + (b - a) * (index - lower);
}

/** @param {number} value */
function round(value) {
  return Math.round(value * 10) / 10;
}

/** @param {string} flag */
function once(flag = '--version') {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [BIN, flag], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 || result.stdout.length === 0) {
    throw new Error(`rigkit ${flag} failed: ${result.status} ${result.stderr}`);
  }
  return ms;
}

if (!existsSync(BIN)) {
  process.stderr.write(`${BIN} is missing: run \`npx turbo run build --filter=rigkit\` first\n`);
  process.exit(1);
}
/** `node -e 0`: Node's own start, so a reader can tell Rigkit's share from Node's. */
function baselineOnce() {
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

for (let i = 0; i < WARMUP_RUNS; i++) once();
// Interleaved with the baseline, so both see the same machine load.
const times = [];
const baseline = [];
for (let i = 0; i < RUNS; i++) {
  times.push(once());
  baseline.push(baselineOnce());
}
times.sort((a, b) => a - b);
baseline.sort((a, b) => a - b);

process.stdout.write(
  `${JSON.stringify({
    bench: 'cli.cold_start',
    unit: 'ms',
    median: round(quantile(times, 0.5)),
    p90: round(quantile(times, 0.9)),
    min: round(times[0] ?? Number.NaN),
    runs: RUNS,
    target: TARGET_MS,
    nodeBaselineMedian: round(quantile(baseline, 0.5)),
    nodeBaselineMin: round(baseline[0] ?? Number.NaN),
  })}\n`,
);

// `--help` builds the whole command tree with commander, still without the client, zod, ws or
// the server (each command imports those when it runs): informational, no target.
const help = [];
for (let i = 0; i < 10; i++) help.push(once('--help'));
help.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({
    bench: 'cli.help_cold_start',
    unit: 'ms',
    median: round(quantile(help, 0.5)),
    p90: round(quantile(help, 0.9)),
    runs: help.length,
  })}\n`,
);
