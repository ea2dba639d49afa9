#!/usr/bin/env node
// A simulated year of 100 miners sampled every 10 s, with default retention, against the built
// @rigkit/storage (run `turbo run build` first). Reports the file size as the clock advances,
// then the latency of `history()` for 24 h at 1-minute resolution on the resulting file.
//
// Method. Done naively this is ~315 M raw samples; with default retention the file only ever
// holds 48 h of raw samples, 30 days of minute roll-ups and up to 365 days of hour roll-ups. So a
// fake clock advances day by day for 395 days and after every day the storage's own jobs run
// (`runMaintenance({ retention: true })`: roll-up, retention, incremental vacuum). What the jobs
// would have been fed is bulk-inserted with SQL through a second connection, as the issue allows
// ("generate 1 m/1 h roll-up rows directly for the old parts"):
//   - days 0–35 and the last 30: minute roll-ups (the hour tier is then built from them by the
//     storage's roll-up, and old minutes are trimmed by its retention from day 30 on);
//   - days 35–365: hour roll-ups directly, while the minute tier stays at its steady-state size
//     (the storage is reopened with minute retention lifted, so the 30 days it holds stay put —
//     the file holds the same amount of minute data as it would, just older dates; at day 365
//     the defaults return and those minutes age out at once, so the reading at day 390 holds 25
//     days of minutes, and the one at 395 the full 30 again);
//   - before each size reading: 48 h of raw samples, which retention then trims as usual;
//   - the last 48 h go through the real pipeline: 1.7 M samples via `writeSample()`, flushed by
//     the batched writer, rolled up and trimmed hourly by the storage's jobs.
// Synthetic values are fractional (as real averages are) so SQLite stores full 8-byte REALs.
// The file size is read after `wal_checkpoint(TRUNCATE)`: main file only, WAL empty.
//
// Prints one JSON object per line on stdout and nothing else.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStorage } from '@rigkit/storage';

// The storage's own driver, resolved from the storage package (not a bench dependency).
const Database = createRequire(import.meta.resolve('@rigkit/storage'))('better-sqlite3');

const MINERS = 100;
const DAYS = 395;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const STEP_MS = 10_000;
const T_START = 1_700_006_400_000 - (1_700_006_400_000 % DAY);
/** Days of full minute churn before the minute tier is frozen at its steady-state size. */
const FREEZE_FROM = 35;
const HISTORY_RUNS = 300;
const HISTORY_WARMUP = 30;
const HISTORY_TARGET_MS = 2;

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
function round(value, digits = 2) {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const dir = mkdtempSync(join(tmpdir(), 'rigkit-year-'));
const file = join(dir, 'year.db');
const ids = Array.from({ length: MINERS }, (_, i) => `miner-${String(i).padStart(3, '0')}`);
let now = T_START;
const clock = () => now;

/** @param {Record<string, number>} [retention] */
function open(retention) {
  return createStorage({
    file,
    now: clock,
    retention,
    integrityCheck: 'never', // measured separately below
    maintenance: { enabled: false }, // driven by hand, with the fake clock
  });
}

let storage = await open();
// One sample per miner creates their keys through the real write path.
for (const id of ids) storage.writeSample(id, { time: now, hashrate: 1_000_000.5 });
await storage.flush();

const bulk = new Database(file);
bulk.pragma('busy_timeout = 10000');
// Synthetic data may be written loosely; the storage's own connection keeps synchronous=NORMAL.
bulk.pragma('synchronous = OFF');
const insertMinutes = bulk.prepare(`
  insert or ignore into hashrate_1m
    (miner_key, bucket, hashrate_avg, hashrate_min, hashrate_max, samples, shares_accepted, shares_rejected)
  with recursive m(i) as (select 0 union all select i + 1 from m where i < 1439)
  select k.key, ? + m.i * 60000, 1000000.37 + ((k.key * 7 + m.i) % 997) * 1.13,
         990000.11 + (m.i % 13) * 3.7, 1010000.53 + (m.i % 17) * 2.9, 6, m.i % 3, (m.i % 50 = 0)
  from miner_keys k cross join m order by k.key, m.i`);
const insertHours = bulk.prepare(`
  insert or ignore into hashrate_1h
    (miner_key, bucket, hashrate_avg, hashrate_min, hashrate_max, samples, shares_accepted, shares_rejected)
  with recursive h(i) as (select 0 union all select i + 1 from h where i < 23)
  select k.key, ? + h.i * 3600000, 1000000.37 + ((k.key * 7 + h.i) % 997) * 1.13,
         990000.11 + (h.i % 13) * 3.7, 1010000.53 + (h.i % 17) * 2.9, 360, 60 + h.i % 7, h.i % 2
  from miner_keys k cross join h order by k.key, h.i`);
const insertRaw = bulk.prepare(`
  insert or ignore into hashrate_samples (miner_key, time, hashrate, shares_accepted, shares_rejected)
  with recursive s(i) as (select 0 union all select i + 1 from s where i < ${(2 * DAY) / STEP_MS - 1})
  select k.key, ? + s.i * ${STEP_MS}, 1000000.37 + ((k.key * 7 + s.i) % 997) * 1.13, s.i % 2, 0
  from miner_keys k cross join s order by k.key, s.i`);
/** @param {string} table @returns {number} */
const countRows = (table) => bulk.prepare(`select count(*) as n from ${table}`).get().n;

/** Size of the database file once the WAL is folded in, MB. */
function sizeMb() {
  bulk.pragma('wal_checkpoint(TRUNCATE)');
  return round(statSync(file).size / 1e6, 1);
}

/**
 * One of the last two days, through writeSample() and the storage's jobs (every 3 h: the
 * timers would run them every minute, which only changes how much each run has to do).
 * @param {number} start
 */
async function realDay(start) {
  for (let hour = 0; hour < 24; hour += 1) {
    const from = start + hour * HOUR;
    for (let time = from; time < from + HOUR; time += STEP_MS) {
      now = time;
      for (const [m, id] of ids.entries()) {
        const tick = (time - T_START) / STEP_MS;
        storage.writeSample(id, {
          time,
          hashrate: 1_000_000.37 + ((m * 7 + tick) % 997) * 1.13,
          shares: { accepted: Math.floor(tick / 20), rejected: 0 },
        });
      }
      // One stats-loop tick per turn, as the manager would deliver them.
      if (time % (5 * STEP_MS) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    now = from + HOUR;
    await storage.flush();
    if (hour % 3 === 2) await storage.runMaintenance();
  }
}

/** @type {Array<{ day: number, mb: number }>} */
const sizes = [];
const started = performance.now();
for (let day = 0; day < DAYS; day += 1) {
  const start = T_START + day * DAY;
  if (day === FREEZE_FROM) {
    await storage.close();
    // Minutes kept as long as hours: the 30 days in the file stay at their steady-state size.
    storage = await open({ minute: 365 * DAY });
  } else if (day === DAYS - 30) {
    await storage.close();
    storage = await open(); // defaults again: the frozen minutes age out
  }

  if (day >= DAYS - 2) {
    await realDay(start);
  } else if (day < FREEZE_FROM || day >= DAYS - 30) {
    insertMinutes.run(start);
  } else {
    insertHours.run(start);
  }
  now = start + DAY + STEP_MS;
  await storage.runMaintenance({ retention: true });

  const done = day + 1;
  if (done % 30 === 0 || done === 365 || done === DAYS) {
    if (day < DAYS - 2) insertRaw.run(start + DAY - 2 * DAY);
    const mb = sizeMb();
    sizes.push({ day: done, mb });
    emit({
      bench: 'storage.year_size',
      day: done,
      unit: 'MB',
      mb,
      rows: {
        raw: countRows('hashrate_samples'),
        minute: countRows('hashrate_1m'),
        hour: countRows('hashrate_1h'),
      },
      elapsedS: round((performance.now() - started) / 1000, 1),
    });
  }
}

const final = sizes.at(-1)?.mb ?? Number.NaN;
const atYear = sizes.find((s) => s.day === 365)?.mb ?? Number.NaN;
const stats = storage.stats();
emit({
  bench: 'storage.year_size_final',
  unit: 'MB',
  median: final,
  days: DAYS,
  miners: MINERS,
  sampleIntervalMs: STEP_MS,
  sizeAt365: atYear,
  growthAfter365: round(final - atYear, 1),
  // Bounded: past the longest tier (365 d) the file no longer grows (1% slack for page churn).
  bounded: final <= atYear * 1.01,
  writer: { written: stats.samples.written, dropped: stats.dropped, errors: stats.errors },
});

// history(): one miner among 100, the last 24 h at 1-minute resolution (1440 points), asked at
// a minute boundary once every minute of the day is rolled up — on the storage reopened and
// after a full GC, as a restarted server would query it, so the simulation's garbage does not
// land in the measurement.
now = T_START + DAYS * DAY + 5 * MINUTE;
await storage.runMaintenance();
now = T_START + DAYS * DAY;
await storage.close();
sizeMb();
globalThis.gc?.();
storage = await open();
const miner = 'miner-042';
/** @type {number[]} */
const runs = [];
let points = 0;
let resolution = '';
for (let i = 0; i < HISTORY_WARMUP + HISTORY_RUNS; i += 1) {
  const t0 = performance.now();
  const result = await storage.history(miner, now - DAY, now, { maxPoints: 1440 });
  const elapsed = performance.now() - t0;
  if (i >= HISTORY_WARMUP) runs.push(elapsed);
  points = result.points.length;
  resolution = result.resolution;
}
const historyMedian = round(median(runs), 3);
emit({
  bench: 'storage.history_24h_1m',
  unit: 'ms',
  median: historyMedian,
  p95: round([...runs].sort((a, b) => a - b)[Math.floor(runs.length * 0.95)] ?? Number.NaN, 3),
  runs: HISTORY_RUNS,
  points,
  resolution,
  miners: MINERS,
  target: HISTORY_TARGET_MS,
  ok: historyMedian <= HISTORY_TARGET_MS && points === 1440,
});

/** @type {Array<[string, number, number]>} */
const extra = [
  ['storage.history_7d', 7 * DAY, 1000],
  ['storage.history_1y', 365 * DAY, 1000],
];
for (const [name, span, maxPoints] of extra) {
  /** @type {number[]} */
  const times = [];
  /** @type {import('@rigkit/storage').HistoryResult | undefined} */
  let result;
  for (let i = 0; i < 60; i += 1) {
    const t0 = performance.now();
    result = await storage.history(miner, now - span, now, { maxPoints });
    if (i >= 10) times.push(performance.now() - t0);
  }
  emit({
    bench: name,
    unit: 'ms',
    median: round(median(times), 3),
    runs: times.length,
    points: result?.points.length,
    resolution: result?.resolution,
  });
}
await storage.close();

// What `integrityCheck: 'auto'` would pay on open for a file this size.
/** @type {number[]} */
const checkTimes = [];
for (let i = 0; i < 3; i += 1) {
  const t0 = performance.now();
  const verdict = bulk.pragma('quick_check(1)', { simple: true });
  checkTimes.push(performance.now() - t0);
  if (verdict !== 'ok') throw new Error(`quick_check: ${verdict}`);
}
emit({
  bench: 'storage.quick_check',
  unit: 'ms',
  median: Math.round(median(checkTimes)),
  runs: checkTimes.length,
  mb: sizeMb(),
});
bulk.close();
rmSync(dir, { recursive: true, force: true });
