import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../shared/ansi.js';
import { trackSimulators } from './testing/track.js';

const track = trackSimulators();

// ---- The contract, copied from @rigkit/adapter-ttminer (src/stdout/ttminer-line-examples.ts) --
// testkit may not depend on the adapter (both are layer 1), so the canonical examples and the
// shapes of their templates are restated here. If the adapter's contract changes, change these.

/** `TTMINER_LINE_EXAMPLES`, verbatim. */
const CANONICAL_EXAMPLES = {
  banner: 'TT-Miner 2024.3.2',
  poolConnected: '12:00:01.123 Connected to pool.example:4444',
  newJob: '12:00:01.250 New job from pool.example:4444 diff 1.07G',
  shareAccepted: '12:00:05.010 GPU 0: Share accepted (23 ms)',
  shareRejected: '12:00:06.020 GPU 1: Share rejected: "Low difficulty share" (31 ms)',
  gpuHashrate: '12:00:10.000 GPU 0: 14.68 MH/s, 53°C, fan 90%',
  gpuHashrateWithPower: '12:00:10.000 GPU 1: 14.51 MH/s, 50°C, fan 90%, 125 W',
  gpuTemperature: '12:00:10.001 GPU 0: temperature 53°C, fan 90%',
  totalHashrate: '12:00:10.002 Total: 29.19 MH/s',
  gpuLost: '12:00:20.000 ERROR: GPU 1 lost',
  poolFailed: '12:00:30.000 Failed to connect to pool.example:4444',
} as const;

const TS = String.raw`\d{2}:\d{2}:\d{2}\.\d{3} `;
const ADDRESS = String.raw`(?:\[[0-9A-Fa-f:.]+\]|[^\s:\[\]]+):\d{1,5}`;
const RATE = String.raw`\d+\.\d{2} (?:H|kH|MH|GH)\/s`;
const shape = (body: string) => new RegExp(`^${TS}${body}$`);

/** `TTMINER_LINE_TEMPLATES` as regular expressions (the simulator prints two decimals). */
const CANONICAL_SHAPES: Record<keyof typeof CANONICAL_EXAMPLES, RegExp> = {
  banner: /^TT-Miner \d+\.\d+\.\d+$/,
  poolConnected: shape(`Connected to ${ADDRESS}`),
  newJob: shape(String.raw`New job from ${ADDRESS} diff \d+(?:\.\d+)?[KMGTP]?`),
  shareAccepted: shape(String.raw`GPU \d+: Share accepted \(\d+ ms\)`),
  shareRejected: shape(String.raw`GPU \d+: Share rejected: "[^"]+" \(\d+ ms\)`),
  gpuHashrate: shape(String.raw`GPU \d+: ${RATE}, \d+°C, fan \d+%`),
  gpuHashrateWithPower: shape(String.raw`GPU \d+: ${RATE}, \d+°C, fan \d+%, \d+ W`),
  gpuTemperature: shape(String.raw`GPU \d+: temperature \d+°C, fan \d+%`),
  totalHashrate: shape(`Total: ${RATE}`),
  gpuLost: shape(String.raw`ERROR: GPU \d+ lost`),
  poolFailed: shape(`Failed to connect to ${ADDRESS}`),
};

/**
 * The simulator's other lines: not in the contract. `event` is what the adapter's tolerant
 * parser rules (restated in {@link parserKind}) make of them — nothing, or an `error` for the
 * ones that are errors.
 */
const SIMULATOR_SHAPES: Record<string, { pattern: RegExp; event: 'error' | undefined }> = {
  simBanner: {
    pattern: shape(
      String.raw`rigkit-sim-ttminer \S+: a simulated TT-Miner \(seed \d+, time scale [\d.]+\)`,
    ),
    event: undefined,
  },
  algorithm: {
    pattern: shape(String.raw`Algorithm \S+(?:, coin \S+)?(?:, intensity \d+)?`),
    event: undefined,
  },
  device: {
    pattern: shape(String.raw`GPU \d+: NVIDIA GeForce RTX 3080 \(simulated\), 10 GB`),
    event: undefined,
  },
  apiListening: { pattern: shape(`API listening on ${ADDRESS}`), event: undefined },
  noPool: {
    pattern: shape(String.raw`No pool given \(-P\): the GPUs hash offline`),
    event: undefined,
  },
  reconnect: {
    pattern: shape(`Pool ${ADDRESS} asks to reconnect to ${ADDRESS}`),
    event: undefined,
  },
  switching: { pattern: shape(`Switching to pool ${ADDRESS}`), event: undefined },
  shutdown: { pattern: shape('Received SIG[A-Z]+, shutting down'), event: undefined },
  ignored: {
    pattern: shape(String.raw`Received SIGTERM, ignored \(--sim-ignore-sigterm\)`),
    event: undefined,
  },
  disconnected: { pattern: shape(`Disconnected from ${ADDRESS}`), event: 'error' },
  poolError: {
    pattern: shape(
      String.raw`ERROR: Pool ${ADDRESS} (?:refused the (?:login|subscription)|sent a line that is not JSON|sent an unusable job \([a-z_ .0-9]+\))`,
    ),
    event: 'error',
  },
  apiBindError: {
    pattern: shape(String.raw`ERROR: API bind to ${ADDRESS} failed \(E[A-Z]+\)`),
    event: 'error',
  },
};

/** The first rule of the adapter's `parseTtminerLine` that a line meets (its kind of event). */
function parserKind(line: string): string | undefined {
  const text = line.replace(/^\d{2}:\d{2}:\d{2}\.\d{3} /, '');
  if (/^TT-?Miner[ /]v?\d/i.test(text)) return undefined;
  if (/\b(?:accepted|rejected)\b/i.test(text)) return 'share';
  if (/\b(?:error|errors|lost|failed|failure|disconnected)\b/i.test(text)) return 'error';
  if (/\b(?:re)?connected to (?:pool\s+)?\S+/i.test(text)) return 'pool.connected';
  if (/\bnew job\b/i.test(text)) return 'job';
  const gpu = /\bGPU\s*#?\s*\d{1,3}\b/i.test(text);
  const rate = /\b\d{1,15}(?:\.\d{1,10})?\s*[kmgt]?h\/s/i.test(text);
  const temperature = /\b\d{1,3}(?:\.\d{1,2})?\s*(?:°|º|Â°|deg\s*)?C\b/.test(text);
  if (gpu && (rate || temperature)) return 'gpu';
  if (rate && /\btotal\b/i.test(text)) return 'speed';
  return undefined;
}

/** The name of the canonical or simulator shape `line` has, or `undefined`. */
function shapeOf(line: string): string | undefined {
  for (const [name, pattern] of Object.entries(CANONICAL_SHAPES)) {
    if (pattern.test(line)) return name;
  }
  for (const [name, { pattern }] of Object.entries(SIMULATOR_SHAPES)) {
    if (pattern.test(line)) return `sim:${name}`;
  }
  return undefined;
}

async function deadPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('stdout of rigkit-sim-ttminer', () => {
  it('the copied shapes match the canonical examples, and the simulator-only lines are what they claim', () => {
    for (const [name, example] of Object.entries(CANONICAL_EXAMPLES)) {
      expect(shapeOf(example), name).toBe(name);
    }
    const samples: Record<string, string> = {
      simBanner:
        '12:00:00.000 rigkit-sim-ttminer 0.1.0: a simulated TT-Miner (seed 1, time scale 1)',
      algorithm: '12:00:00.000 Algorithm KAWPOW, coin RVN, intensity 20',
      device: '12:00:00.000 GPU 0: NVIDIA GeForce RTX 3080 (simulated), 10 GB',
      apiListening: '12:00:00.000 API listening on 127.0.0.1:4068',
      noPool: '12:00:00.000 No pool given (-P): the GPUs hash offline',
      reconnect: '12:00:00.000 Pool a.example:1 asks to reconnect to b.example:2',
      switching: '12:00:00.000 Switching to pool b.example:2',
      shutdown: '12:00:00.000 Received SIGTERM, shutting down',
      ignored: '12:00:00.000 Received SIGTERM, ignored (--sim-ignore-sigterm)',
      disconnected: '12:00:00.000 Disconnected from a.example:1',
      poolError: '12:00:00.000 ERROR: Pool a.example:1 sent an unusable job (bad prevhash)',
      apiBindError: '12:00:00.000 ERROR: API bind to 127.0.0.1:4068 failed (EADDRINUSE)',
    };
    for (const [name, { event }] of Object.entries(SIMULATOR_SHAPES)) {
      const sample = samples[name] as string;
      expect(shapeOf(sample), name).toBe(`sim:${name}`);
      expect(parserKind(sample), name).toBe(event);
    }
  });

  it('prints only canonical lines (and simulator lines the parser ignores or reads as errors)', async () => {
    const dead = await deadPort();
    const pool = await track.pool({ difficulty: 0.002, accept: (n) => n % 2 === 1 });
    const sim = await track.sim([
      '-a',
      'KAWPOW',
      '-c',
      'RVN',
      '-i',
      '20',
      '-P',
      `w@127.0.0.1:${dead}`,
      '-P',
      `stratum+tcp://RWallet.rig1:x@${pool.url}`,
      '--sim-gpu-lost',
      '1',
      '--sim-time-scale',
      '25',
      '-PRT',
      '1',
    ]);
    await sim.waitForLine(/ Share accepted /, { since: 'start', timeoutMs: 8000 });
    await sim.waitForLine(/ Share rejected: /, { since: 'start' });
    await sim.waitForLine(/ ERROR: GPU 1 lost$/, { since: 'start' });
    await sim.waitForLine(/ GPU 1: temperature /, { since: 'start' });
    const reconnected = sim.waitForLine(/ Connected to /);
    pool.dropConnections();
    await reconnected;
    // Wait for the last line itself: the exit can come before stdout is read to the end.
    const shutdown = sim.waitForLine(/ Received SIGTERM, shutting down$/);
    await sim.stop();
    await shutdown;

    const lines = sim.lines.map(stripAnsi);
    const seen = new Map<string, number>();
    const unknown: string[] = [];
    for (const line of lines) {
      const name = shapeOf(line);
      if (name === undefined) unknown.push(line);
      else seen.set(name, (seen.get(name) ?? 0) + 1);
    }
    expect(unknown).toEqual([]);
    expect(lines[0]).toBe('TT-Miner 2024.3.2');
    for (const name of Object.keys(CANONICAL_EXAMPLES)) {
      if (name === 'gpuHashrate') continue; // with power here; without in the next test
      expect(seen.get(name), name).toBeGreaterThan(0);
    }
    for (const name of [
      'simBanner',
      'algorithm',
      'device',
      'apiListening',
      'switching',
      'disconnected',
      'shutdown',
    ]) {
      expect(seen.get(`sim:${name}`), name).toBeGreaterThan(0);
    }
    // What the adapter's parser makes of each line kind, by its rules.
    for (const line of lines) {
      const name = shapeOf(line) as string;
      const kind = parserKind(line);
      if (name.startsWith('sim:')) {
        expect(kind, line).toBe(SIMULATOR_SHAPES[name.slice(4)]?.event);
      } else {
        const expected = {
          banner: undefined,
          poolConnected: 'pool.connected',
          newJob: 'job',
          shareAccepted: 'share',
          shareRejected: 'share',
          gpuHashrate: 'gpu',
          gpuHashrateWithPower: 'gpu',
          gpuTemperature: 'gpu',
          totalHashrate: 'speed',
          gpuLost: 'error',
          poolFailed: 'error',
        }[name];
        expect(kind, line).toBe(expected);
      }
    }
    expect(lines.at(-1)).toMatch(/ Received SIGTERM, shutting down$/);
  });

  it('prints colours unless -nocolor (the text under them is the same), and no power with --sim-no-power', async () => {
    const sim = await track.sim(['--sim-no-power', '--sim-time-scale', '20', '-PRT', '1'], {
      colors: true,
    });
    await sim.waitForLine(/ Total: /, { since: 'start' });
    expect(sim.lines.some((line) => line.includes('\x1b['))).toBe(true);
    const plain = sim.lines.map(stripAnsi);
    expect(plain.every((line) => shapeOf(line) !== undefined)).toBe(true);
    const gpuLines = plain.filter((line) => / GPU \d: \d/.test(line));
    expect(gpuLines.length).toBeGreaterThan(0);
    expect(gpuLines.every((line) => CANONICAL_SHAPES.gpuHashrate.test(line))).toBe(true);
  });

  it('prints the same reports for the same seed', async () => {
    const reports = async (seed: number) => {
      const sim = await track.sim([
        '--sim-seed',
        String(seed),
        '--sim-time-scale',
        '50',
        '-PRT',
        '2',
      ]);
      for (let i = 0; i < 8; i++)
        await sim.waitForLine(/ Total: /, { since: i === 0 ? 'start' : 'now' });
      await sim.stop();
      return sim.lines
        .map(stripAnsi)
        .filter((line) => / (?:GPU \d: \d|Total: )/.test(line))
        .slice(0, 24)
        .map((line) => line.slice(13));
    };
    const [first, second, other] = await Promise.all([reports(11), reports(11), reports(12)]);
    expect(first).toHaveLength(24);
    expect(first).toEqual(second);
    expect(other).not.toEqual(first);
  });
});
