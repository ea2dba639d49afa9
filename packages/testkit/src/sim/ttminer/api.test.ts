import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryMinerGetstat1 } from './query-miner-getstat1.js';
import { startTtminerSimulator, type TtminerSimulatorProcess } from './start-ttminer-simulator.js';
import { expectGetstat1Layout } from './testing/getstat1-layout.js';
import { rawApiExchange } from './testing/raw-api.js';
import { trackSimulators } from './testing/track.js';

const track = trackSimulators();

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC answers are read field by field.
type Answer = any;

describe('miner_getstat1 (rigkit-sim-ttminer API)', () => {
  it('answers in the fixture layout: H/s, whole minutes of simulated uptime, the pool', async () => {
    const scale = 600; // one real second is ten simulated minutes
    const pool = await track.pool({ difficulty: 1e9 });
    const spawnedAt = performance.now();
    const [sim, offline] = await Promise.all([
      track.sim([
        '-P',
        `stratum+tcp://RWallet.rig1:x@${pool.url}`,
        '--sim-time-scale',
        String(scale),
        '--sim-seed',
        '3',
      ]),
      track.sim(['--sim-gpus', '3', '-d', '0,2', '--sim-no-power', '--sim-time-scale', '60']),
    ]);
    const readyAt = performance.now();
    await sim.waitForLine(/ New job from /, { since: 'start' });
    await sim.waitForLine(/ Total: \d/, { since: 'start' });
    // Wait for the 5 s hashrate window to be full (8 real ms at this scale) and uptime > 1 min.
    await new Promise((resolve) => setTimeout(resolve, 250));

    const before = performance.now();
    const answer: Answer = await sim.getstat1();
    const after = performance.now();
    expect(answer).toMatchObject({ id: 0, jsonrpc: '2.0' });
    expectGetstat1Layout(answer.result, { gpus: 2, power: true });
    const [, minutes, totals, rates, , , tempFan, where, invalid, power] = answer.result;
    // Uptime in minutes of simulated time: within what real time allows at this scale.
    const toMinutes = (ms: number) => (ms * scale) / 1000 / 60;
    expect(Number(minutes)).toBeGreaterThanOrEqual(Math.floor(toMinutes(before - readyAt)));
    expect(Number(minutes)).toBeLessThanOrEqual(Math.ceil(toMinutes(after - spawnedAt)));
    expect(Number(minutes)).toBeGreaterThanOrEqual(2);
    // H/s (not kH/s): two GPUs at ~14.5 MH/s.
    const total = Number(totals.split(';')[0]);
    expect(total).toBeGreaterThan(29_000_000 * 0.95);
    expect(total).toBeLessThan(29_000_000 * 1.05);
    expect(
      rates
        .split(';')
        .map(Number)
        .every((rate: number) => rate > 13_500_000),
    ).toBe(true);
    expect(totals.split(';').slice(1)).toEqual(['0', '0']);
    expect(where).toBe(pool.url);
    expect(invalid).toBe('0;0;0;0');
    expect(
      power
        .split(';')
        .map(Number)
        .every((w: number) => w > 150 && w < 300),
    ).toBe(true);
    expect(tempFan.split(';')).toHaveLength(4);

    // Without pool, power, or every GPU: still the layout; the mined GPUs only.
    const bare: Answer = await offline.getstat1();
    expectGetstat1Layout(bare.result, { gpus: 2, power: false, pool: false });
    expect(bare.result).toHaveLength(9);
  });

  it('echoes the request id', async () => {
    const sim = await track.sim([]);
    expect(await sim.getstat1({ id: 17 })).toMatchObject({ id: 17, result: expect.any(Array) });
  });
});

describe('API password and malformed requests', () => {
  const PASSWORD = 'pw s3cret"\\';
  let sim: TtminerSimulatorProcess;
  beforeAll(async () => {
    sim = await startTtminerSimulator(['-nocolor', '--api-password', PASSWORD]);
  });
  afterAll(async () => {
    await sim.stop();
  });

  /** One raw exchange that must end with the server closing the connection. */
  async function exchange(request: string, options: { halfClose?: boolean } = {}) {
    const seen = await rawApiExchange(sim.apiPort, request, options);
    expect(seen.closed, 'the server closes the connection').toBe(true);
    expect(seen.text.endsWith('\n')).toBe(true);
    expect(seen.text.trimEnd().split('\n')).toHaveLength(1);
    return JSON.parse(seen.text) as Answer;
  }

  it('answers with the right "psw" only; otherwise a JSON-RPC error about the password', async () => {
    const ok: Answer = await queryMinerGetstat1(sim.apiPort, { password: PASSWORD });
    expect(ok.result).toHaveLength(10);
    for (const password of [undefined, 'wrong', '', PASSWORD.toUpperCase()]) {
      const denied: Answer = await queryMinerGetstat1(
        sim.apiPort,
        password === undefined ? {} : { password },
      );
      expect(denied).toMatchObject({ id: 0, jsonrpc: '2.0', error: { code: -32001 } });
      expect(denied.error.message).toMatch(/password/);
      expect(denied.result).toBeUndefined();
    }
    const numeric = await exchange('{"id":3,"jsonrpc":"2.0","method":"miner_getstat1","psw":12}\n');
    expect(numeric).toMatchObject({ id: 3, error: { code: -32001 } });
    expect(
      await exchange(`${JSON.stringify({ id: 4, method: 'miner_getstat1', psw: PASSWORD })}\n`),
    ).toMatchObject({
      id: 4,
      result: expect.any(Array),
    });
  });

  it('answers a malformed request with a JSON-RPC error and closes the connection', async () => {
    expect(await exchange('not json\n')).toEqual({
      id: null,
      jsonrpc: '2.0',
      error: { code: -32700, message: 'Parse error' },
    });
    expect(await exchange('[1,2]\n')).toMatchObject({ id: null, error: { code: -32600 } });
    expect(await exchange('{"id":9,"jsonrpc":"2.0"}\n')).toMatchObject({
      id: 9,
      error: { code: -32600, message: 'Invalid Request' },
    });
    expect(await exchange('{"id":1,"method":42}\n')).toMatchObject({ error: { code: -32600 } });
    expect(
      await exchange(`${JSON.stringify({ id: 2, method: 'miner_restart', psw: PASSWORD })}\n`),
    ).toMatchObject({ id: 2, error: { code: -32601, message: 'Method not found' } });
    expect(await exchange(`{"id":5,"method":"${'x'.repeat(5000)}"}`)).toMatchObject({
      error: { code: -32600 },
    });
    // A request without its newline counts when the client half-closes.
    expect(
      await exchange(JSON.stringify({ id: 6, method: 'miner_getstat1', psw: PASSWORD }), {
        halfClose: true,
      }),
    ).toMatchObject({ id: 6, result: expect.any(Array) });
    // Errors never say anything about the password but that it is wrong.
    const denied = await exchange('{"id":0,"method":"miner_getstat1","psw":"guess"}\n');
    expect(JSON.stringify(denied)).not.toContain('s3cret');
  });
});
