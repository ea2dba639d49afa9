import { afterEach, describe, expect, it } from 'vitest';
import { stripAnsi } from '../shared/ansi.js';
import { startXmrigSimulator, type XmrigSimulatorProcess } from './start-xmrig-simulator.js';
import { expectKnownLines } from './testing/expect-known-lines.js';
import { readFixture } from './testing/read-fixture.js';
import { mustRequest } from './testing/request-api.js';

const running: XmrigSimulatorProcess[] = [];
async function start(args: string[]): Promise<XmrigSimulatorProcess> {
  const sim = await startXmrigSimulator(args);
  running.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop({ timeoutMs: 2000 })));
});

const fixtureBanner = readFixture('xmrig/stdout.txt').split('\n').slice(0, 12);

describe('rigkit-sim-xmrig in benchmark mode', () => {
  it('prints the banner and log lines of the fixtures, answers keys, and exits 0 on SIGTERM', async () => {
    const sim = await start([
      '--no-color',
      '--sim-seed',
      '1',
      '--sim-time-scale',
      '20',
      '--donate-level',
      '0',
    ]);
    await sim.waitForLine(
      /cpu {6}READY threads 2\/2 \(2\) huge pages 100% 2\/2 memory 4096 KB \(\d+ ms\)$/,
      {
        since: 'start',
      },
    );
    const banner = sim.lines.slice(0, 12);
    // Same lines as the real benchmark run, but for the memory figures and the API port.
    const differs = (line: string) => /^ \* (MEMORY|HTTP API)/.test(line);
    expect(banner.filter((line) => !differs(line))).toEqual(
      fixtureBanner.filter((line) => !differs(line)),
    );
    expect(sim.lines[12]).toMatch(/\] {2}bench {4}start benchmark hashes 1M algo rx\/0$/);

    const speed = await sim.waitForLine(/miner {4}speed 10s\/60s\/15m/);
    expect(speed).toMatch(/speed 10s\/60s\/15m n\/a n\/a n\/a H\/s max n\/a H\/s$/);
    await sim.waitForLine(/bench {5}1\.\d\d% \d+\/1000000 \(10\.\d{3}s\)$/, { since: 'start' });

    const table = sim.waitForLine(/\] \| {8}- \| {8}- \|/);
    sim.write('h');
    await table;
    const paused = sim.waitForLine(/miner {4}paused, press {2}r {2}to resume$/);
    sim.write('p');
    await paused;
    expect(JSON.parse((await mustRequest(`${sim.apiUrl}/2/summary`)).body).paused).toBe(true);
    const resumed = sim.waitForLine(/miner {4}resumed$/);
    sim.write('r\n');
    await resumed;
    const results = sim.waitForLine(/net {6}no results yet$/);
    sim.write('s');
    await results;
    const connection = sim.waitForLine(
      /net {6}pool benchmark:3333 ip n\/a uptime \d+ s ping 0 ms failures 0 algo rx\/0 diff 18446744073709551615$/,
    );
    sim.write('c');
    await connection;

    const exiting = sim.waitForLine(/signal {3}SIGTERM received, exiting$/);
    const stopped = sim.waitForLine(/cpu {6}stopped \(\d+ ms\)$/);
    const exit = await sim.stop();
    await exiting;
    await stopped;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(
      sim.lines
        .slice(-2)
        .map(stripAnsi)
        .map((line) => line.slice(26)),
    ).toEqual([' signal   SIGTERM received, exiting', ' cpu      stopped (0 ms)']);
    expectKnownLines(sim.lines);
  });

  it('prints ANSI colours by default, like xmrig into a pipe', async () => {
    const sim = await start(['--sim-time-scale', '20']);
    await sim.waitForLine(/cpu {6}READY/, { since: 'start' });
    expect(sim.lines.every((line) => line === '' || line.includes('\x1b['))).toBe(true);
    // With colours xmrig highlights the key letters instead of quoting them.
    const commands = sim.lines.map(stripAnsi).find((line) => line.includes('COMMANDS'));
    expect(commands).toBe(' * COMMANDS     hashrate, pause, resume, results, connection');
    expectKnownLines(sim.lines);
  });

  it('finishes a benchmark and stops hashing, as xmrig does', async () => {
    const sim = await start([
      '--no-color',
      '--bench',
      '250K',
      '--sim-hashrate',
      '25000',
      '--sim-time-scale',
      '20',
      '--print-time',
      '5',
    ]);
    await sim.waitForLine(
      /bench {4}benchmark finished in \d+\.\d{3} seconds hash sum = [0-9A-F]{16}$/,
      {
        since: 'start',
        timeoutMs: 10_000,
      },
    );
    await sim.waitForLine(/bench {4}press Ctrl\+C to exit$/, { since: 'start' });
    expectKnownLines(sim.lines);
  });

  it('produces the same hashrate sequence for the same seed', async () => {
    const run = async () => {
      const sim = await start([
        '--no-color',
        '--sim-seed',
        '77',
        '--sim-time-scale',
        '100',
        '--print-time',
        '10',
      ]);
      const values: string[] = [];
      for (let i = 0; i < 3; i++) {
        values.push(await sim.waitForLine(/bench {4}.*%/));
      }
      await sim.stop();
      // The progress lines hold the cumulative hash count at each print: the same seed, the same counts.
      return values.map((line) => / (\d+)\/1000000 /.exec(line)?.[1]);
    };
    const [first, second] = await Promise.all([run(), run()]);
    expect(first).toEqual(second);
  });
});
