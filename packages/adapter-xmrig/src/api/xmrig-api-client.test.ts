import { getFreePort, isRigkitError, RigkitError } from '@rigkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { render } from '../test-support/capturing-logger.js';
import { fixtureText } from '../test-support/fixtures.js';
import { type LocalServer, startLocalServer } from '../test-support/local-server.js';
import { XmrigApiClient } from './xmrig-api-client.js';

const TOKEN = 'SENTINEL-TOKEN-7c1e';
let server: LocalServer;
beforeAll(async () => {
  server = await startLocalServer();
});
afterAll(() => server.close());

const client = (token = TOKEN, maxBodyBytes?: number) =>
  new XmrigApiClient({
    port: server.port,
    token,
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
const never = () => new AbortController().signal;

async function failure(promise: Promise<unknown>): Promise<RigkitError> {
  try {
    await promise;
  } catch (error) {
    if (isRigkitError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

function expectNoToken(error: unknown): void {
  expect(render(error)).not.toContain(TOKEN);
  expect(JSON.stringify(error)).not.toContain(TOKEN);
}

describe('XmrigApiClient', () => {
  it('sends Authorization: Bearer <token> and parses the JSON answer', async () => {
    server.handle((_req, res) => res.end(fixtureText('2_summary.json')));
    const json = (await client().summary(never())) as { uptime: number };
    expect(json.uptime).toBe(60);
    const seen = server.requests.at(-1);
    expect(seen?.url).toBe('/2/summary');
    expect(seen?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    await client().backends(never());
    expect(server.requests.at(-1)?.url).toBe('/2/backends');
  });

  it('never sends an empty Bearer: no token, no Authorization header', async () => {
    server.handle((_req, res) => res.end('{}'));
    await client('').summary(never());
    expect(server.requests.at(-1)?.headers).not.toHaveProperty('authorization');
    await new XmrigApiClient({ port: server.port }).summary(never());
    expect(server.requests.at(-1)?.headers).not.toHaveProperty('authorization');
  });

  it.each([401, 403])('maps %i to E_API_AUTH without the token in the error', async (status) => {
    server.handle((_req, res) =>
      res.writeHead(status).end(`{"status": ${status}, "error": "FORBIDDEN", "echo": "${TOKEN}"}`),
    );
    const error = await failure(client().summary(never()));
    expect(error.code).toBe('E_API_AUTH');
    expect(error.details).toEqual({ status, path: '/2/summary' });
    expectNoToken(error);
  });

  it('maps other error statuses to E_API_RESPONSE with the status', async () => {
    server.handle((_req, res) => res.writeHead(500).end(`internal error ${TOKEN}`));
    const error = await failure(client().summary(never()));
    expect(error.code).toBe('E_API_RESPONSE');
    expect(error.details).toMatchObject({ status: 500 });
    expectNoToken(error);
  });

  it('maps a non-JSON answer to E_API_RESPONSE without quoting the body', async () => {
    server.handle((_req, res) => res.end(`<html>${TOKEN}</html>`));
    const error = await failure(client().summary(never()));
    expect(error.code).toBe('E_API_RESPONSE');
    expect(error.message).toContain('not JSON');
    expectNoToken(error);
  });

  it('refuses bodies over the limit, declared or streamed', async () => {
    server.handle((_req, res) => res.end(JSON.stringify({ pad: 'x'.repeat(2000) })));
    const declared = await failure(client(TOKEN, 1000).summary(never()));
    expect(declared.code).toBe('E_API_RESPONSE');
    expect(declared.message).toContain('larger than 1000 bytes');

    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length
      res.write('['.padEnd(64 * 1024, ' '));
      res.write(' '.repeat(64 * 1024));
      res.end(']');
    });
    const streamed = await failure(client(TOKEN, 100 * 1024).summary(never()));
    expect(streamed.code).toBe('E_API_RESPONSE');
    // The default limit (1 MiB) lets a real-size answer through.
    expect(await client().summary(never())).toEqual([]);
  });

  it('maps an abort caused by a timeout to E_API_TIMEOUT, and rethrows any other reason', async () => {
    server.handle(() => {}); // never answers
    const timeout = new RigkitError('E_API_TIMEOUT', 'health probe did not answer within 5 ms');
    const controller = new AbortController();
    const arrived = server.nextRequest();
    const pending = client().summary(controller.signal);
    await arrived;
    controller.abort(timeout);
    expect(await failure(pending)).toBe(timeout);

    const domTimeout = new AbortController();
    const arrived2 = server.nextRequest();
    const pending2 = client().summary(domTimeout.signal);
    await arrived2;
    domTimeout.abort(new DOMException('timed out', 'TimeoutError'));
    const mapped = await failure(pending2);
    expect(mapped.code).toBe('E_API_TIMEOUT');

    const stopped = new AbortController();
    const reason = new Error('miner stopped');
    const arrived3 = server.nextRequest();
    const pending3 = client().summary(stopped.signal);
    await arrived3;
    stopped.abort(reason);
    await expect(pending3).rejects.toBe(reason);
  });

  it('maps an abort while the body streams in the same way', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"uptime":'); // and then nothing
    });
    const controller = new AbortController();
    const timeout = new RigkitError('E_API_TIMEOUT', 'stats did not answer within 5 ms');
    const arrived = server.nextRequest();
    const pending = client().summary(controller.signal);
    await arrived;
    controller.abort(timeout);
    expect(await failure(pending)).toBe(timeout);
  });

  it('reports a closed port as E_API_UNREACHABLE (xmrig still starting)', async () => {
    const port = await getFreePort();
    const error = await failure(new XmrigApiClient({ port, token: TOKEN }).summary(never()));
    expect(error.code).toBe('E_API_UNREACHABLE');
    expect(error.details).toMatchObject({ errno: 'ECONNREFUSED' });
    expectNoToken(error);
  });

  it('does not follow redirects (the token must not travel)', async () => {
    server.handle((_req, res) => res.writeHead(302, { location: '/elsewhere' }).end());
    const before = server.requests.length;
    const error = await failure(client().summary(never()));
    expect(error.code).toBe('E_API_RESPONSE');
    expect(error.details).toEqual({ status: 302, path: '/2/summary' });
    expect(server.requests.slice(before).map((r) => r.url)).toEqual(['/2/summary']);
    expectNoToken(error);
  });

  it('maps a connection dropped mid-answer to E_API_UNREACHABLE', async () => {
    server.handle((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"uptime":');
      setImmediate(() => req.socket.destroy());
    });
    const error = await failure(client().summary(never()));
    expect(error.code).toBe('E_API_UNREACHABLE');
    expectNoToken(error);
  });

  it('keeps no per-port state: a new port on every start does not grow the heap', async () => {
    // Node's global fetch keeps a connection pool per origin forever (~20 KB each); xmrig's
    // API gets a new port on every start. 300 ports would leave ~6 MB behind with fetch.
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const { createServer } = await import('node:http');
    const onePort = async () => {
      const one = createServer((_req, res) => res.end('{}'));
      await new Promise<void>((resolve) => one.listen(0, '127.0.0.1', resolve));
      const { port } = one.address() as { port: number };
      await new XmrigApiClient({ port, token: TOKEN }).summary(never());
      await new Promise<void>((resolve) => one.close(() => resolve()));
    };
    for (let i = 0; i < 30; i++) await onePort(); // warm up lazy loads
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 300; i++) await onePort();
    gc();
    const grownKiB = (process.memoryUsage().heapUsed - before) / 1024;
    expect(grownKiB).toBeLessThan(1500);
  });
});
