import { defineAdapter } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TEST_TOKEN, testApp } from './testing/test-app.js';

describe('REST API', () => {
  it('creates, lists, starts, samples, stops and deletes a miner', async () => {
    const { app, auth } = await testApp();
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: auth,
      payload: {
        kind: 'memory',
        name: 'rig one/with spaces',
        options: { hashrate: 1234, pass: 'SENTINEL-PASS' },
      },
    });
    expect(created.statusCode).toBe(201);
    const miner = created.json();
    expect(miner).toMatchObject({
      kind: 'memory',
      name: 'rig one/with spaces',
      state: 'idle',
      autostart: false,
    });
    expect(miner.id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(created.body).not.toContain('SENTINEL-PASS');

    const list = await app.inject({ method: 'GET', url: '/api/v1/miners' });
    expect(list.json().miners.map((m: { id: string }) => m.id)).toEqual([miner.id]);

    const started = await app.inject({
      method: 'POST',
      url: `/api/v1/miners/${miner.id}/start`,
      headers: auth,
    });
    expect(started.statusCode).toBe(200);
    expect(started.json().state).toBe('running');

    const sample = await app.inject({ method: 'GET', url: `/api/v1/miners/${miner.id}/sample` });
    expect(sample.json()).toMatchObject({ hashrate: 1234, shares: { accepted: 2, rejected: 0 } });

    const history = await app.inject({
      method: 'GET',
      url: `/api/v1/miners/${miner.id}/history?maxPoints=10`,
    });
    expect(history.json()).toMatchObject({ resolution: 'memory' });
    expect(history.json().points.length).toBeLessThanOrEqual(10);

    const stopped = await app.inject({
      method: 'POST',
      url: `/api/v1/miners/${miner.id}/stop`,
      headers: auth,
    });
    expect(stopped.json().state).toBe('stopped');

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/miners/${miner.id}`,
      headers: auth,
      payload: { name: 'renamed', autostart: true },
    });
    expect(patched.json()).toMatchObject({ name: 'renamed', autostart: true });

    const deleted = await app.inject({
      method: 'DELETE',
      url: `/api/v1/miners/${miner.id}`,
      headers: auth,
    });
    expect(deleted.statusCode).toBe(204);
    const gone = await app.inject({ method: 'GET', url: `/api/v1/miners/${miner.id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toEqual({
      error: {
        code: 'E_MINER_NOT_FOUND',
        message: `no miner with id "${miner.id}"`,
        details: { id: miner.id },
      },
    });
  });

  it('serves logs with a cursor and writes stdin only to running process miners', async () => {
    const { app, auth, manager } = await testApp();
    const miner = await manager.create({ kind: 'memory', name: 'x', id: 'x' });
    for (let i = 0; i < 5; i++) miner.logs.push(i, 'stdout', `line ${i}`);
    const tail = await app.inject({ method: 'GET', url: '/api/v1/miners/x/logs?tail=2' });
    expect(tail.json()).toMatchObject({ lastSeq: 5, firstSeq: 1 });
    expect(tail.json().entries.map((e: { text: string }) => e.text)).toEqual(['line 3', 'line 4']);
    const since = await app.inject({ method: 'GET', url: '/api/v1/miners/x/logs?since=4' });
    expect(since.json().entries.map((e: { seq: number }) => e.seq)).toEqual([5]);
    const stdin = await app.inject({
      method: 'POST',
      url: '/api/v1/miners/x/stdin',
      headers: auth,
      payload: { input: 'h' },
    });
    expect(stdin.statusCode).toBe(409);
    expect(stdin.json().error.code).toBe('E_PROCESS_NOT_RUNNING');
  });

  it('requires the token for every control call, compares it fully', async () => {
    const { app } = await testApp();
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${TEST_TOKEN}x` },
      { authorization: TEST_TOKEN },
    ]) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/miners',
        headers,
        payload: { kind: 'memory', name: 'a' },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('E_UNAUTHORIZED');
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/miners' })).statusCode).toBe(200);
  });

  it('protects reads too when asked (non-loopback binds), but never health/ready', async () => {
    const { app, auth } = await testApp({ protectReads: true });
    expect((await app.inject({ method: 'GET', url: '/api/v1/miners' })).statusCode).toBe(401);
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/miners', headers: auth })).statusCode,
    ).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/v1/ready' })).json()).toEqual({
      ready: true,
      checks: { storage: true, manager: true },
    });
  });

  it('rejects bad input with 4xx envelopes and field paths', async () => {
    const { app, auth } = await testApp();
    const big = await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: JSON.stringify({ kind: 'memory', name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('E_BODY_TOO_LARGE');

    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"kind": "memory",',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('E_BAD_JSON');

    const invalid = await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: auth,
      payload: { kind: 'memory', name: '', id: 'a/b', extra: 1 },
    });
    expect(invalid.statusCode).toBe(400);
    const paths = invalid.json().error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.id']));

    const badOptions = await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: auth,
      payload: { kind: 'memory', name: 'a', options: { hashrate: -5, pass: 'SENTINEL-PASS' } },
    });
    expect(badOptions.statusCode).toBe(400);
    expect(badOptions.json().error.code).toBe('E_CONFIG_INVALID');
    expect(badOptions.json().error.details.issues[0].path).toBe('hashrate');
    expect(badOptions.body).not.toContain('SENTINEL-PASS');

    const unknownKind = await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: auth,
      payload: { kind: 'nope', name: 'a' },
    });
    expect(unknownKind.json().error.code).toBe('E_ADAPTER_NOT_FOUND');
    expect(unknownKind.statusCode).toBe(400);

    const badQuery = await app.inject({
      method: 'GET',
      url: '/api/v1/miners/x/history?maxPoints=0&from=9&to=1',
    });
    expect(badQuery.statusCode).toBe(400);

    const unknownRoute = await app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(unknownRoute.statusCode).toBe(404);
    expect(unknownRoute.json().error.code).toBe('E_ROUTE_NOT_FOUND');
  });

  it('rate-limits per IP with 429', async () => {
    const { app } = await testApp({ rateLimitPerMinute: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await app.inject({ method: 'GET', url: '/api/v1/adapters' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429, 429]);
    const limited = await app.inject({ method: 'GET', url: '/api/v1/adapters' });
    expect(limited.json().error.code).toBe('E_RATE_LIMITED');
  });

  it('answers 409 E_GC_UNAVAILABLE without --expose-gc, and serves system info', async () => {
    const { app, auth } = await testApp();
    const gcAvailable = typeof (globalThis as { gc?: unknown }).gc === 'function';
    const gc = await app.inject({ method: 'POST', url: '/api/v1/system/gc', headers: auth });
    if (gcAvailable) expect(gc.statusCode).toBe(200);
    else expect(gc.json().error.code).toBe('E_GC_UNAVAILABLE');
    expect(
      (await app.inject({ method: 'GET', url: '/api/v1/system/memory' })).json().rssBytes,
    ).toBeGreaterThan(0);
    const monitor = await app.inject({ method: 'GET', url: '/api/v1/system/monitor' });
    expect(monitor.statusCode).toBe(200);
    expect(monitor.json().latest.activeResourceCount).toBeGreaterThan(0);
    const adapters = await app.inject({ method: 'GET', url: '/api/v1/adapters' });
    expect(adapters.json()).toEqual({
      adapters: [{ kind: 'memory', name: 'memory-miner', version: '1.0.0', core: '*' }],
    });
  });

  it('publishes an OpenAPI 3.1 document covering the routes', async () => {
    const { app } = await testApp();
    const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/miners',
        '/api/v1/miners/{id}',
        '/api/v1/miners/{id}/history',
        '/api/v1/miners/{id}/logs',
      ]),
    );
    expect((await app.inject({ method: 'GET', url: '/api/v1/docs/' })).statusCode).toBe(200);
  });

  it('exports the latest device rows (temperature, hashrate) and drops them when a miner is removed', async () => {
    const gpuMiner = defineAdapter({
      apiVersion: 1,
      kind: 'gpu',
      meta: { name: 'gpu-miner', version: '1.0.0', core: '*' },
      options: z.object({}),
      runner: () => ({ start: async () => {}, stop: async () => {} }),
      probe: async () => ({ healthy: true, ready: true }),
      stats: async () => ({
        time: Date.now(),
        hashrate: 29_000_000,
        devices: [
          { id: 'gpu:0', hashrate: 14_600_000, temperatureC: 53, fanPercent: 90 },
          { id: 'gpu:1', hashrate: 14_400_000, temperatureC: 61 },
        ],
      }),
    });
    const { app, auth, manager } = await testApp();
    manager.adapters.register(gpuMiner);
    await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: auth,
      payload: { kind: 'gpu', name: 'g', id: 'g1' },
    });
    await manager.get('g1').start();
    await manager.get('g1').sample();
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('rigkit_device_temperature_celsius{miner="g1",device="gpu:0"} 53');
    expect(text).toContain('rigkit_device_temperature_celsius{miner="g1",device="gpu:1"} 61');
    expect(text).toContain(
      'rigkit_device_hashrate_hashes_per_second{miner="g1",device="gpu:1"} 14400000',
    );
    const miner = (await app.inject({ method: 'GET', url: '/api/v1/miners/g1' })).json();
    expect(miner.lastSample.devices).toHaveLength(2);
    await app.inject({ method: 'DELETE', url: '/api/v1/miners/g1', headers: auth });
    const after = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(after).not.toContain('miner="g1"');
  });

  it('exports Prometheus metrics with bounded labels', async () => {
    const { app, auth, manager } = await testApp();
    await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: auth,
      payload: { kind: 'memory', name: 'm', id: 'm1', options: { hashrate: 42 } },
    });
    await manager.get('m1').start();
    await manager.get('m1').sample();
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('rigkit_miner_hashrate_hashes_per_second{miner="m1",kind="memory"} 42');
    expect(text).toContain('rigkit_miner_up{miner="m1",kind="memory"} 1');
    expect(text).toContain('rigkit_miner_shares_total{miner="m1",result="accepted"} 2');
    expect(text).toContain('rigkit_ws_clients 0');
    expect(text).toContain('rigkit_process_');
  });
});
