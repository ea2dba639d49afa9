import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../process/process-alive.js';
import { startXmrigSimulator, type XmrigSimulatorProcess } from './start-xmrig-simulator.js';
import { mustRequest, requestApi } from './testing/request-api.js';

const running: XmrigSimulatorProcess[] = [];
async function start(args: string[]): Promise<XmrigSimulatorProcess> {
  const sim = await startXmrigSimulator(['--no-color', ...args]);
  running.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop({ timeoutMs: 2000 })));
});

describe('fault injection', () => {
  it('--sim-crash-after exits with code 1', async () => {
    const sim = await start(['--sim-crash-after', '150']);
    expect(await sim.exited).toEqual({ code: 1, signal: null });
    expect(sim.stderr).toContain('Segmentation fault');
  });

  it('--sim-hang-after keeps the process alive but stops answering the API', async () => {
    const sim = await start(['--sim-hang-after', '250']);
    // Answers until the hang, then takes the connection and never answers: poll until then.
    const deadline = Date.now() + 8000;
    let answer = await requestApi(`${sim.apiUrl}/2/summary`, { timeoutMs: 400 });
    while (answer !== 'timeout' && Date.now() < deadline) {
      expect(answer.status).toBe(200);
      await sleep(50);
      answer = await requestApi(`${sim.apiUrl}/2/summary`, { timeoutMs: 400 });
    }
    expect(answer).toBe('timeout');
    expect(isProcessAlive(sim.pid)).toBe(true);
  });

  it('--sim-zero-after drops the hashrate to 0 in the API (the windows decay honestly)', async () => {
    const sim = await start(['--sim-time-scale', '20', '--sim-zero-after', '200']);
    let total: Array<number | null> = [];
    for (let i = 0; i < 60; i++) {
      const summary = JSON.parse((await mustRequest(`${sim.apiUrl}/2/summary`)).body);
      total = summary.hashrate.total;
      if (total[0] === 0) break;
      await sim.waitForLine(/miner {4}speed/, { timeoutMs: 5000 });
    }
    expect(total[0]).toBe(0);
  });

  it('--sim-garbage-api answers junk with status 200', async () => {
    const sim = await start(['--sim-garbage-api']);
    const answer = await mustRequest(`${sim.apiUrl}/2/summary`);
    expect(answer.status).toBe(200);
    expect(() => JSON.parse(answer.body)).toThrow();
  });

  it('--sim-slow-api delays every answer', async () => {
    const sim = await start(['--sim-slow-api', '300']);
    const answer = await mustRequest(`${sim.apiUrl}/2/summary`);
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeGreaterThanOrEqual(290);
  });

  it('--sim-ignore-sigterm logs the signal and keeps running until SIGKILL', async () => {
    const sim = await start(['--sim-ignore-sigterm']);
    const logged = sim.waitForLine(/signal {3}SIGTERM received, exiting$/);
    sim.process.kill('SIGTERM');
    await logged;
    expect((await mustRequest(`${sim.apiUrl}/2/summary`)).status).toBe(200);
    expect(await sim.stop({ timeoutMs: 300 })).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('keeps running when the reader of its stdout goes away (EPIPE)', async () => {
    const sim = await start(['--sim-time-scale', '100', '--print-time', '1']);
    const uptime = async () =>
      JSON.parse((await mustRequest(`${sim.apiUrl}/2/summary`)).body).uptime as number;
    const before = await uptime();
    sim.process.stdout.destroy();
    // Poll until 20 more simulated seconds have passed: 20 speed lines went into the broken pipe.
    const deadline = Date.now() + 8000;
    let now = before;
    while (now < before + 20 && Date.now() < deadline) {
      await sleep(50);
      now = await uptime();
    }
    expect(now).toBeGreaterThanOrEqual(before + 20);
    expect(isProcessAlive(sim.pid)).toBe(true);
  });
});
