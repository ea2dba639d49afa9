import { afterEach, describe, expect, it } from 'vitest';
import { startXmrigSimulator, type XmrigSimulatorProcess } from './start-xmrig-simulator.js';
import { keyShape, readFixture } from './testing/read-fixture.js';
import { mustRequest } from './testing/request-api.js';

const running: XmrigSimulatorProcess[] = [];
async function start(args: string[]): Promise<XmrigSimulatorProcess> {
  const sim = await startXmrigSimulator(['--no-color', ...args]);
  running.push(sim);
  return sim;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.stop({ timeoutMs: 2000 })));
});

const fixture = (name: string) => JSON.parse(readFixture(`xmrig/${name}`));
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const json = { 'content-type': 'application/json' };

describe('HTTP API', () => {
  it('restricted, no token: open reads, 401 for any Authorization, 403 for config and writes, 404 elsewhere', async () => {
    const sim = await start(['--sim-time-scale', '10']);
    const url = sim.apiUrl as string;
    const status = async (path: string, init: Parameters<typeof mustRequest>[1] = {}) =>
      (await mustRequest(`${url}${path}`, init)).status;

    expect(await status('/2/summary')).toBe(200);
    expect(await status('/1/summary')).toBe(200);
    expect(await status('/api.json')).toBe(200);
    expect(await status('/2/backends')).toBe(200);
    expect(await status('/2/dmi')).toBe(200);
    expect(await status('/2/summary', { headers: bearer('anything') })).toBe(401);
    expect(await status('/1/config')).toBe(403);
    expect(await status('/2/config')).toBe(403);
    expect(await status('/1/config', { method: 'PUT', headers: json, body: '{}' })).toBe(403);
    expect(
      await status('/json_rpc', { method: 'POST', headers: json, body: '{"method":"pause"}' }),
    ).toBe(403);
    for (const path of ['/', '/1/threads', '/json', '/1/backends', '/favicon.ico'])
      expect(await status(path)).toBe(404);

    const forbidden = await mustRequest(`${url}/2/config`);
    expect(JSON.parse(forbidden.body)).toEqual({ status: 403, error: 'FORBIDDEN' });
    // The access log: same layout and byte counts as the fixture (289 for 403/404, 45 for the icon).
    await sim.waitForLine(/\] 127\.0\.0\.1 GET \/2\/config 403 289 \d+ms "rigkit-test\/1\.0"$/, {
      since: 'start',
    });
    await sim.waitForLine(/\] 127\.0\.0\.1 GET \/1\/threads 404 289 \d+ms "rigkit-test\/1\.0"$/, {
      since: 'start',
    });
    await sim.waitForLine(/\] 127\.0\.0\.1 GET \/2\/summary 401 295 \d+ms "rigkit-test\/1\.0"$/, {
      since: 'start',
    });
    await sim.waitForLine(/\] 127\.0\.0\.1 GET \/favicon\.ico 404 45 \d+ms "rigkit-test\/1\.0"$/, {
      since: 'start',
    });
    expect(sim.lines.some((line) => / GET \/2\/summary 200 /.test(line))).toBe(false);
  });

  it('with a token: 401 without it, 403 when wrong, 200 when right; /2/config stays 403 while restricted', async () => {
    const sim = await start(['--http-access-token', 'secret']);
    const url = sim.apiUrl as string;
    expect((await mustRequest(`${url}/2/summary`)).status).toBe(401);
    expect((await mustRequest(`${url}/2/summary`, { headers: bearer('wrong') })).status).toBe(403);
    expect(
      (await mustRequest(`${url}/2/summary`, { headers: { authorization: 'secret' } })).status,
    ).toBe(403);
    expect((await mustRequest(`${url}/2/summary`, { headers: bearer('secret') })).status).toBe(200);
    expect((await mustRequest(`${url}/2/config`, { headers: bearer('secret') })).status).toBe(403);
  });

  it('unrestricted without a token refuses everything with 401, as xmrig requires a token then', async () => {
    const sim = await start(['--http-no-restricted']);
    expect((await mustRequest(`${sim.apiUrl}/2/summary`)).status).toBe(401);
    expect((await mustRequest(`${sim.apiUrl}/2/summary`, { headers: bearer('x') })).status).toBe(
      401,
    );
  });

  it('unrestricted with a token: config (with the token), json_rpc, PUT, 405/415 like xmrig', async () => {
    const sim = await start(['--http-access-token', 'secret', '--http-no-restricted']);
    const url = sim.apiUrl as string;
    const auth = bearer('secret');
    const config = await mustRequest(`${url}/2/config`, { headers: auth });
    expect(config.status).toBe(200);
    const doc = JSON.parse(config.body);
    expect(keyShape(doc)).toEqual(keyShape(fixture('2_config.json')));
    expect(doc.http).toEqual({
      enabled: true,
      host: '127.0.0.1',
      port: sim.port,
      'access-token': 'secret',
      restricted: false,
    });
    expect((await mustRequest(`${url}/1/config`, { headers: auth })).status).toBe(200);

    const paused = sim.waitForLine(/miner {4}paused, press {2}r {2}to resume$/);
    const rpc = await mustRequest(`${url}/json_rpc`, {
      method: 'POST',
      headers: { ...auth, ...json },
      body: '{"id":7,"jsonrpc":"2.0","method":"pause"}',
    });
    expect(JSON.parse(rpc.body)).toEqual({ id: 7, jsonrpc: '2.0', result: { status: 'OK' } });
    await paused;
    expect(JSON.parse((await mustRequest(`${url}/2/summary`, { headers: auth })).body).paused).toBe(
      true,
    );
    const resumed = sim.waitForLine(/miner {4}resumed$/);
    await mustRequest(`${url}/json_rpc`, {
      method: 'POST',
      headers: { ...auth, ...json },
      body: '{"id":8,"method":"resume"}',
    });
    await resumed;
    const unknown = await mustRequest(`${url}/json_rpc`, {
      method: 'POST',
      headers: { ...auth, ...json },
      body: '{"id":9,"method":"boom"}',
    });
    expect(JSON.parse(unknown.body)).toEqual({
      id: 9,
      jsonrpc: '2.0',
      error: { code: -32601, message: 'Method not found' },
    });

    expect(
      (await mustRequest(`${url}/json_rpc`, { method: 'POST', headers: auth, body: '{}' })).status,
    ).toBe(415);
    expect(
      (await mustRequest(`${url}/2/summary`, { method: 'DELETE', headers: auth })).status,
    ).toBe(415);
    expect((await mustRequest(`${url}/2/summary`, { method: 'PATCH', headers: auth })).status).toBe(
      405,
    );
    await sim.waitForLine(/ POST \/json_rpc 415 315 \d+ms /, { since: 'start' });
    await sim.waitForLine(/ PATCH \/2\/summary 405 307 \d+ms /, { since: 'start' });

    const put = await mustRequest(`${url}/1/config`, {
      method: 'PUT',
      headers: { ...auth, ...json },
      body: '{"print-time": 30, "cpu": {"priority": 1}}',
    });
    expect(put.status).toBe(204);
    const changed = JSON.parse((await mustRequest(`${url}/2/config`, { headers: auth })).body);
    expect(changed['print-time']).toBe(30);
    expect(changed.cpu.priority).toBe(1);
    expect(changed.cpu.enabled).toBe(true);
    expect(
      (
        await mustRequest(`${url}/1/config`, {
          method: 'PUT',
          headers: { ...auth, ...json },
          body: '[',
        })
      ).status,
    ).toBe(400);
  });

  it('answers with the fixture shapes and values consistent with the speed lines', async () => {
    const sim = await start([
      '--sim-seed',
      '4',
      '--sim-hashrate',
      '2000',
      '--sim-time-scale',
      '100',
      '-t',
      '1',
    ]);
    const url = sim.apiUrl as string;
    // After 60 simulated seconds of hashing the 60 s window has a value.
    const speed = await sim.waitForLine(
      /miner {4}speed 10s\/60s\/15m (\d+\.\d+) (\d+\.\d+) n\/a H\/s/,
      { timeoutMs: 15_000 },
    );
    const summaryText = (await mustRequest(`${url}/2/summary`)).body;
    expect(summaryText).toContain('"diff_current": 18446744073709551615,');
    const summary = JSON.parse(summaryText);
    expect(keyShape(summary)).toEqual(keyShape(fixture('2_summary.json')));
    expect(summary).toMatchObject({
      algo: 'rx/0',
      restricted: true,
      connection: { pool: 'benchmark:3333', ip: null },
    });
    expect(summary.uptime).toBeGreaterThanOrEqual(60);
    const [, printed60] = /speed 10s\/60s\/15m \S+ (\S+)/.exec(speed) as RegExpExecArray;
    expect(summary.hashrate.total[1]).not.toBeNull();
    expect(Math.abs(summary.hashrate.total[1] - Number(printed60))).toBeLessThan(
      0.05 * Number(printed60),
    );
    expect(summary.hashrate.highest).toBeGreaterThan(0);

    const v1 = JSON.parse((await mustRequest(`${url}/1/summary`)).body);
    expect(keyShape(v1)).toEqual(keyShape(fixture('1_summary.json')));
    expect(v1.hashrate.threads).toHaveLength(1);
    const backends = JSON.parse((await mustRequest(`${url}/2/backends`)).body);
    expect(keyShape(backends)).toEqual(keyShape(fixture('2_backends.json')));
    expect(backends[0].hashrate[1]).not.toBeNull();
  });
});
