import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../process/process-alive.js';
import { GARBAGE_ANSWER } from './api-server.js';
import { Getstat1QueryError } from './query-miner-getstat1.js';
import type { TtminerSimulatorProcess } from './start-ttminer-simulator.js';
import { trackSimulators } from './testing/track.js';

const track = trackSimulators();

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC answers are read field by field.
const resultOf = async (sim: TtminerSimulatorProcess): Promise<any[]> =>
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  ((await sim.getstat1()) as any).result;

/** `[temp, fan]` of every GPU from a report line `GPU i: …, 53°C, fan 90%…`. */
const GPU_LINE = /GPU (\d+): (?:[\d.]+ [kMG]?H\/s, |temperature )(\d+)°C, fan (\d+)%/;

describe('fault injection (rigkit-sim-ttminer)', () => {
  it('--sim-crash-after exits with code 1', async () => {
    const sim = await track.sim(['--sim-crash-after', '150']);
    expect(await sim.exited).toEqual({ code: 1, signal: null });
    expect(sim.stderr).toContain('Segmentation fault');
  });

  it('--sim-hang-after: the API takes connections and never answers; the process stays', async () => {
    const sim = await track.sim(['--sim-hang-after', '300', '--sim-time-scale', '20', '-PRT', '1']);
    const deadline = Date.now() + 8000;
    let failure: unknown;
    while (Date.now() < deadline) {
      try {
        await sim.getstat1({ timeoutMs: 400 });
        await sleep(50);
      } catch (error) {
        failure = error;
        break;
      }
    }
    expect(failure).toBeInstanceOf(Getstat1QueryError);
    expect((failure as Getstat1QueryError).reason).toBe('timeout');
    const printed = sim.lines.length;
    await sleep(200);
    expect(sim.lines.length).toBe(printed); // silent too
    expect(isProcessAlive(sim.pid)).toBe(true);
    // It still obeys SIGTERM.
    expect(await sim.stop({ timeoutMs: 3000 })).toEqual({ code: 0, signal: null });
  });

  it('--sim-zero-until-first-share reports 0 H/s in [2] and [3] until a share is accepted', async () => {
    const pool = await track.pool({ difficulty: 1e9 }); // no share for ages
    const sim = await track.sim([
      '-P',
      `w@${pool.url}`,
      '--sim-zero-until-first-share',
      '--sim-time-scale',
      '10',
      '-PRT',
      '1',
    ]);
    await sim.waitForLine(/ New job from /, { since: 'start' });
    // The GPUs work (power up, once the 5 s window is full) while the API and the report say 0.
    await sim.waitForLine(/ GPU 0: 0\.00 H\/s, \d+°C, fan \d+%, 2\d\d W$/);
    const [, , totals, rates, , , , , , power] = await resultOf(sim);
    expect(totals).toBe('0;0;0');
    expect(rates).toBe('0;0');
    expect(Number(power.split(';')[0])).toBeGreaterThan(150);
    const accepted = sim.waitForLine(/ GPU \d: Share accepted \(\d+ ms\)$/);
    pool.send({ id: null, method: 'mining.set_difficulty', params: [0.005] });
    await accepted;
    const after = await resultOf(sim);
    expect(Number(after[2].split(';')[0])).toBeGreaterThan(25_000_000);
    expect(Number(after[2].split(';')[1])).toBeGreaterThanOrEqual(1);
    expect(
      after[3]
        .split(';')
        .map(Number)
        .every((rate: number) => rate > 0),
    ).toBe(true);
  });

  it('--sim-gpu-lost: that GPU drops to 0 H/s with "ERROR: GPU <i> lost", the total halves', async () => {
    const [sim, soon] = await Promise.all([
      track.sim(['--sim-gpu-lost', '1', '--sim-time-scale', '20', '-PRT', '1']),
      track.sim(['--sim-gpu-lost', '0', '--sim-gpu-lost-after', '100', '-d', '0,1']),
    ]);
    // Default: after 5 simulated seconds (here 250 real ms).
    await sim.waitForLine(/^\d{2}:\d{2}:\d{2}\.\d{3} ERROR: GPU 1 lost$/, { since: 'start' });
    await sim.waitForLine(/ GPU 1: temperature \d+°C, fan \d+%$/);
    const [, , totals, rates] = await resultOf(sim);
    const [first, second] = rates.split(';').map(Number);
    expect(second).toBe(0);
    expect(first).toBeGreaterThan(13_500_000);
    expect(Number(totals.split(';')[0])).toBe(first);
    expect(sim.lines.filter((line) => / lost$/.test(line))).toHaveLength(1);

    await soon.waitForLine(/ ERROR: GPU 0 lost$/, { since: 'start' });
    expect((await resultOf(soon))[3]).toMatch(/^0;\d+$/);
  });

  it('temperatures drift with load; --sim-overheat climbs past 90 °C within ~a minute and stays', async () => {
    const sim = await track.sim([
      '--sim-overheat',
      '0',
      '--sim-time-scale',
      '120',
      '-PRT',
      '5',
      '--sim-seed',
      '4',
    ]);
    // 24 reports: simulated seconds 5…120.
    const temps: Array<{ t0: number; t1: number; fan0: number; fan1: number }> = [];
    const deadline = Date.now() + 10_000;
    while (temps.length < 24 && Date.now() < deadline) {
      const blocks = sim.lines.filter((line) => GPU_LINE.test(line));
      temps.length = 0;
      for (let i = 0; i + 1 < blocks.length; i += 2) {
        const a = GPU_LINE.exec(blocks[i] as string) as RegExpExecArray;
        const b = GPU_LINE.exec(blocks[i + 1] as string) as RegExpExecArray;
        temps.push({
          t0: +(a[2] as string),
          fan0: +(a[3] as string),
          t1: +(b[2] as string),
          fan1: +(b[3] as string),
        });
      }
      if (temps.length < 24) await sleep(50);
    }
    expect(temps.length).toBeGreaterThanOrEqual(24);
    const series = temps.slice(0, 24);
    // GPU 1 (normal): from ~40 °C toward 59–69 °C, the fan following.
    expect(series[0]?.t1).toBeLessThanOrEqual(50);
    expect(series[23]?.t1).toBeGreaterThanOrEqual(57);
    expect(series[23]?.t1).toBeLessThanOrEqual(71);
    expect(series[23]?.fan1 as number).toBeGreaterThan(series[0]?.fan1 as number);
    // GPU 0 (overheating): past 90 °C by ~a simulated minute (index 12 = 65 s), then stays.
    const firstHot = series.findIndex((s) => s.t0 > 90);
    expect(firstHot).toBeGreaterThanOrEqual(6);
    expect(firstHot).toBeLessThanOrEqual(12);
    expect(series.slice(firstHot).every((s) => s.t0 > 90 && s.fan0 === 100)).toBe(true);
    const [t0] = (await resultOf(sim))[6].split(';').map(Number);
    expect(t0).toBeGreaterThan(90);
  });

  it('--sim-garbage-api answers a line that is not JSON; --sim-slow-api delays answers', async () => {
    const [garbage, slow] = await Promise.all([
      track.sim(['--sim-garbage-api']),
      track.sim(['--sim-slow-api', '300']),
    ]);
    const error = await garbage.getstat1().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Getstat1QueryError);
    expect(error).toMatchObject({ reason: 'not-json', line: GARBAGE_ANSWER });
    const startedAt = performance.now();
    await slow.getstat1();
    expect(performance.now() - startedAt).toBeGreaterThanOrEqual(290);
  });

  it('exits 0 on SIGTERM, closing the pool connection; --sim-ignore-sigterm only prints it', async () => {
    const pool = await track.pool();
    const [sim, stubborn] = await Promise.all([
      track.sim(['-P', `w@${pool.url}`]),
      track.sim(['--sim-ignore-sigterm']),
    ]);
    await sim.waitForLine(/ Connected to /, { since: 'start' });
    expect(pool.openConnections).toBe(1);
    const shutdown = sim.waitForLine(/^\d{2}:\d{2}:\d{2}\.\d{3} Received SIGTERM, shutting down$/);
    expect(await sim.stop()).toEqual({ code: 0, signal: null });
    await shutdown;
    await pool.waitFor(() => pool.openConnections === 0);

    const ignored = stubborn.waitForLine(/ Received SIGTERM, ignored \(--sim-ignore-sigterm\)$/);
    stubborn.process.kill('SIGTERM');
    await ignored;
    expect(await stubborn.getstat1()).toMatchObject({ result: expect.any(Array) });
    expect(await stubborn.stop({ timeoutMs: 300 })).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('keeps running when the reader of its stdout goes away (EPIPE)', async () => {
    const sim = await track.sim(['--sim-time-scale', '600', '-PRT', '1']);
    const minutes = async () => Number((await resultOf(sim))[1]);
    const before = await minutes();
    sim.process.stdout.destroy();
    // Poll until 2 more simulated minutes have passed: 120 reports went into the broken pipe.
    const deadline = Date.now() + 8000;
    let now = before;
    while (now < before + 2 && Date.now() < deadline) {
      await sleep(50);
      now = await minutes();
    }
    expect(now).toBeGreaterThanOrEqual(before + 2);
    expect(isProcessAlive(sim.pid)).toBe(true);
  });
});
