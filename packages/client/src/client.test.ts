import { expectNoLeaks } from '@rigkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import { isRigkitClientError, RigkitClientError } from './errors.js';
import type { MinerDto } from './schemas/miner.js';
import { FAKE_TOKEN, type FakeServer, json, startFakeServer } from './testing/fake-server.js';

const MINER: MinerDto = {
  id: 'rig-1',
  kind: 'xmrig',
  name: 'Rig one',
  state: 'running',
  autostart: false,
  generation: 1,
  pid: 4242,
  startedAt: 1_700_000_000_000,
  recentRestarts: 0,
  lastExit: null,
  lastSample: { time: 1_700_000_010_000, hashrate: 1234.5 },
  paused: false,
};

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(options: { timeoutMs?: number; maxResponseBytes?: number } = {}) {
  server = await startFakeServer();
  const client = createClient({ baseUrl: server.url, token: FAKE_TOKEN, ...options });
  return { server, client };
}

async function rejection(promise: Promise<unknown>): Promise<RigkitClientError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RigkitClientError);
    return error as RigkitClientError;
  }
  throw new Error('expected a rejection');
}

describe('createClient', () => {
  it('calls each route with the token and parses the answers with the schemas', async () => {
    const { server, client } = await setup();
    server.routes.set('GET /api/v1/miners', (_q, r) => json(r, 200, { miners: [MINER] }));
    server.routes.set('POST /api/v1/miners', (q, r) =>
      json(r, 201, { ...MINER, ...JSON.parse(q.body), state: 'idle' }),
    );
    server.routes.set('GET /api/v1/miners/rig%201%2Fx', (_q, r) => json(r, 200, MINER));
    server.routes.set('DELETE /api/v1/miners/rig-1', (_q, r) => {
      r.writeHead(204).end();
    });
    server.routes.set('POST /api/v1/miners/rig-1/stop', (_q, r) =>
      json(r, 200, { ...MINER, state: 'stopped' }),
    );
    server.routes.set('GET /api/v1/miners/rig-1/history', (_q, r) =>
      json(r, 200, { resolution: 'memory', points: [{ time: 1, hashrate: 2 }] }),
    );
    server.routes.set('GET /api/v1/miners/rig-1/logs', (_q, r) =>
      json(r, 200, { entries: [], lastSeq: 7, firstSeq: 1 }),
    );
    server.routes.set('GET /api/v1/ready', (_q, r) =>
      json(r, 503, { ready: false, checks: { storage: false, manager: true } }),
    );
    server.routes.set('GET /metrics', (_q, r) => {
      r.writeHead(200, { 'content-type': 'text/plain' }).end('rigkit_miners 1\n');
    });

    expect(await client.listMiners()).toEqual([MINER]);
    const created = await client.createMiner({ kind: 'xmrig', name: 'Rig two', autostart: true });
    expect(created).toMatchObject({ name: 'Rig two', state: 'idle', autostart: true });
    expect(await client.getMiner('rig 1/x')).toEqual(MINER);
    expect(await client.removeMiner('rig-1')).toBeUndefined();
    expect((await client.stopMiner('rig-1')).state).toBe('stopped');
    const history = await client.history('rig-1', {
      from: new Date(1000),
      to: 5000,
      maxPoints: 10,
    });
    expect(history.points).toEqual([{ time: 1, hashrate: 2 }]);
    expect((await client.logs('rig-1', { since: 3 })).lastSeq).toBe(7);
    expect(await client.ready()).toEqual({
      ready: false,
      checks: { storage: false, manager: true },
    });
    expect(await client.metrics()).toBe('rigkit_miners 1\n');

    const seen = server.requests.map((r) => `${r.method} ${r.url}`);
    expect(seen).toEqual([
      'GET /api/v1/miners',
      'POST /api/v1/miners',
      'GET /api/v1/miners/rig%201%2Fx',
      'DELETE /api/v1/miners/rig-1',
      'POST /api/v1/miners/rig-1/stop',
      'GET /api/v1/miners/rig-1/history?from=1000&to=5000&maxPoints=10',
      'GET /api/v1/miners/rig-1/logs?since=3',
      'GET /api/v1/ready',
      'GET /metrics',
    ]);
    for (const r of server.requests) expect(r.headers.authorization).toBe(`Bearer ${FAKE_TOKEN}`);
    const post = server.requests[1];
    expect(post?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(post?.body ?? '')).toEqual({
      kind: 'xmrig',
      name: 'Rig two',
      autostart: true,
    });
    // A POST without a body sends no content-type (fastify would reject an empty JSON body).
    expect(server.requests[4]?.headers['content-type']).toBeUndefined();
  });

  it('turns error envelopes into RigkitClientError with code, status, message and details', async () => {
    const { server, client } = await setup();
    server.routes.set('POST /api/v1/miners/nope/start', (_q, r) =>
      json(r, 404, {
        error: {
          code: 'E_MINER_NOT_FOUND',
          message: 'no miner with id "nope"',
          details: { id: 'nope' },
        },
      }),
    );
    const error = await rejection(client.startMiner('nope'));
    expect(error.toJSON()).toEqual({
      code: 'E_MINER_NOT_FOUND',
      status: 404,
      message: 'no miner with id "nope"',
      details: { id: 'nope' },
    });
    expect(isRigkitClientError(error)).toBe(true);
    // core's isRigkitError() recognises the shared brand.
    expect((error as unknown as Record<symbol, unknown>)[Symbol.for('rigkit.error')]).toBe(true);
  });

  it('reports answers that do not match the schema as E_CLIENT_RESPONSE', async () => {
    const { server, client } = await setup();
    server.routes.set('GET /api/v1/miners/rig-1', (_q, r) =>
      json(r, 200, { ...MINER, state: 'dancing' }),
    );
    server.routes.set('GET /api/v1/health', (_q, r) => {
      r.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>');
    });
    server.routes.set('GET /api/v1/adapters', (_q, r) => {
      r.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>');
    });
    const mismatch = await rejection(client.getMiner('rig-1'));
    expect(mismatch.code).toBe('E_CLIENT_RESPONSE');
    expect(mismatch.message).toContain('state');
    expect(mismatch.details).toMatchObject({ issues: [{ path: 'state' }] });
    const notJson = await rejection(client.health());
    expect(notJson.code).toBe('E_CLIENT_RESPONSE');
    const gateway = await rejection(client.adapters());
    expect(gateway).toMatchObject({ code: 'E_CLIENT_RESPONSE', status: 502 });
  });

  it('refuses answers larger than maxResponseBytes', async () => {
    const { server, client } = await setup({ maxResponseBytes: 1024 });
    server.routes.set('GET /api/v1/miners', (_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ miners: [], pad: 'x'.repeat(4096) }));
    });
    const error = await rejection(client.listMiners());
    expect(error.code).toBe('E_CLIENT_RESPONSE');
    expect(error.message).toContain('larger than 1024 bytes');
  });

  it('maps a refused connection to E_SERVER_UNREACHABLE', async () => {
    const probe = await startFakeServer();
    const url = probe.url;
    await probe.close();
    const client = createClient({ baseUrl: url });
    const error = await rejection(client.health());
    expect(error.code).toBe('E_SERVER_UNREACHABLE');
    expect(error.status).toBeUndefined();
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('times out with E_API_TIMEOUT and aborts with E_ABORTED', async () => {
    const { server, client } = await setup({ timeoutMs: 100 });
    server.routes.set('GET /api/v1/health', () => {}); // never answers
    const timeout = await rejection(client.health());
    expect(timeout.code).toBe('E_API_TIMEOUT');
    const controller = new AbortController();
    const pending = client.health({ signal: controller.signal, timeoutMs: 10_000 });
    controller.abort();
    expect((await rejection(pending)).code).toBe('E_ABORTED');
  });

  it('leaves no timer or socket behind', async () => {
    await expectNoLeaks(async () => {
      const fake = await startFakeServer();
      fake.routes.set('GET /api/v1/miners', (_q, r) => json(r, 200, { miners: [MINER] }));
      fake.routes.set('GET /api/v1/miners/x', (_q, r) =>
        json(r, 404, { error: { code: 'E_MINER_NOT_FOUND', message: 'no' } }),
      );
      const client = createClient({ baseUrl: fake.url, timeoutMs: 5000 });
      for (let i = 0; i < 5; i++) await client.listMiners();
      await rejection(client.getMiner('x'));
      await fake.close();
    });
  });
});
