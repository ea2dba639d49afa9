import { getFreePort, isRigkitError, RigkitError } from '@rigkit/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { render } from '../test-support/capturing-logger.js';
import { fixtureText } from '../test-support/fixtures.js';
import {
  answer,
  type JsonRpcServer,
  openTcpSockets,
  settleSockets,
  startJsonRpcServer,
} from '../test-support/json-rpc-server.js';
import { TtminerApiClient } from './ttminer-api-client.js';

const PASSWORD = 'SENTINEL-API-PW-3b7d';
const REQUEST = '{"id":0,"jsonrpc":"2.0","method":"miner_getstat1"}';
const FIXTURE = fixtureText('miner_getstat1.json').trim();

let server: JsonRpcServer;
let baseline: number;
beforeAll(async () => {
  server = await startJsonRpcServer();
});
afterAll(() => server.close());
beforeEach(() => {
  baseline = openTcpSockets();
});
afterEach(async () => {
  // Every case releases its sockets on both ends: nothing is left open.
  expect(await settleSockets(baseline)).toBe(baseline);
  expect(server.openSockets()).toBe(0);
});

const client = (options: { password?: string; maxLineBytes?: number } = {}) =>
  new TtminerApiClient({ port: server.port, ...options });
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

describe('TtminerApiClient', () => {
  it('sends one request line and parses the one JSON line back', async () => {
    server.handle(answer(FIXTURE));
    const json = (await client().getstat1(never())) as { result: string[] };
    expect(json.result[0]).toBe('TT-Miner/2024.3.2');
    expect(server.lines.at(-1)).toBe(REQUEST);
  });

  it('adds "psw" when an API password is configured, and never puts it in an error', async () => {
    server.handle(answer(FIXTURE));
    await client({ password: PASSWORD }).getstat1(never());
    expect(JSON.parse(server.lines.at(-1) as string)).toEqual({
      id: 0,
      jsonrpc: '2.0',
      method: 'miner_getstat1',
      psw: PASSWORD,
    });
    expect(server.lines.at(-1)).toBe(
      `{"id":0,"jsonrpc":"2.0","method":"miner_getstat1","psw":"${PASSWORD}"}`,
    );
    // An empty password means none.
    await client({ password: '' }).getstat1(never());
    expect(server.lines.at(-1)).toBe(REQUEST);

    server.handle(answer(`garbage ${PASSWORD}`));
    const error = await failure(client({ password: PASSWORD }).getstat1(never()));
    expect(error.code).toBe('E_API_RESPONSE');
    expect(render(error)).not.toContain(PASSWORD);
    expect(JSON.stringify(error)).not.toContain(PASSWORD);
  });

  it('reads an answer split over many writes, and ignores what follows the first line', async () => {
    server.handle((_line, socket) => {
      const text = `\r\n${FIXTURE}\r\n{"second":true}\n`;
      let at = 0;
      const next = () => {
        if (at >= text.length) return void socket.end();
        socket.write(text.slice(at, at + 7));
        at += 7;
        setImmediate(next);
      };
      next();
    });
    const json = (await client().getstat1(never())) as { result: string[] };
    expect(json.result[1]).toBe('48');
  });

  it('accepts an answer that ends with the connection instead of a newline', async () => {
    server.handle((_line, socket) => socket.end(FIXTURE));
    expect(await client().getstat1(never())).toHaveProperty('result');
  });

  it('maps non-JSON and an empty close to E_API_RESPONSE without quoting the answer', async () => {
    server.handle(answer('<html>SENTINEL-BODY</html>'));
    const garbage = await failure(client().getstat1(never()));
    expect(garbage.code).toBe('E_API_RESPONSE');
    expect(garbage.message).toContain('not JSON');
    expect(render(garbage)).not.toContain('SENTINEL-BODY');

    server.handle((_line, socket) => socket.end());
    const empty = await failure(client().getstat1(never()));
    expect(empty.code).toBe('E_API_RESPONSE');
    expect(empty.message).toContain('closed without an answer');
  });

  it('refuses an answer over 64 KiB without a newline, and stops reading at once', async () => {
    let written = 0;
    server.handle((_line, socket) => {
      // A flood that never ends with a newline: the client must cut it off.
      const chunk = 'x'.repeat(16 * 1024);
      const pump = () => {
        while (!socket.destroyed && written < 10 * 1024 * 1024) {
          written += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', pump);
        }
      };
      socket.on('error', () => {});
      pump();
    });
    const error = await failure(client().getstat1(never()));
    expect(error.code).toBe('E_API_RESPONSE');
    expect(error.message).toContain('longer than 65536 bytes');
    expect(written).toBeLessThan(10 * 1024 * 1024);
  });

  it('refuses a 100 KB line even when it ends with a newline, and honours a smaller limit', async () => {
    server.handle(answer(`{"result":["${'x'.repeat(100 * 1024)}"]}`));
    expect((await failure(client().getstat1(never()))).code).toBe('E_API_RESPONSE');
    server.handle(answer(FIXTURE));
    expect((await failure(client({ maxLineBytes: 100 }).getstat1(never()))).code).toBe(
      'E_API_RESPONSE',
    );
  });

  it('maps an abort caused by a timeout to E_API_TIMEOUT and destroys the socket', async () => {
    server.handle(() => {}); // a slow TT-Miner: never answers
    const timeout = new RigkitError('E_API_TIMEOUT', 'health probe did not answer within 5 ms');
    const controller = new AbortController();
    const arrived = server.nextLine();
    const pending = client().getstat1(controller.signal);
    await arrived;
    controller.abort(timeout);
    expect(await failure(pending)).toBe(timeout);

    const dom = new AbortController();
    const arrived2 = server.nextLine();
    const pending2 = client().getstat1(dom.signal);
    await arrived2;
    dom.abort(new DOMException('timed out', 'TimeoutError'));
    expect((await failure(pending2)).code).toBe('E_API_TIMEOUT');
  });

  it('rethrows any other abort reason, also when aborted before connecting', async () => {
    server.handle(() => {});
    const stopped = new AbortController();
    const reason = new Error('miner stopped');
    const arrived = server.nextLine();
    const pending = client().getstat1(stopped.signal);
    await arrived;
    stopped.abort(reason);
    await expect(pending).rejects.toBe(reason);

    const early = new AbortController();
    early.abort(reason);
    await expect(client().getstat1(early.signal)).rejects.toBe(reason);
  });

  it('maps an abort while the answer streams in the same way', async () => {
    server.handle((_line, socket) => socket.write('{"id":0,"result":['));
    const controller = new AbortController();
    const timeout = new RigkitError('E_API_TIMEOUT', 'stats did not answer within 5 ms');
    const arrived = server.nextLine();
    const pending = client().getstat1(controller.signal);
    await arrived;
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(timeout);
    expect(await failure(pending)).toBe(timeout);
  });

  it('reports a closed port as E_API_UNREACHABLE (TT-Miner still starting)', async () => {
    const port = await getFreePort();
    const error = await failure(
      new TtminerApiClient({ port, password: PASSWORD }).getstat1(never()),
    );
    expect(error.code).toBe('E_API_UNREACHABLE');
    expect(error.details).toMatchObject({ errno: 'ECONNREFUSED', method: 'miner_getstat1' });
    expect(render(error)).not.toContain(PASSWORD);
  });

  it('reports a reset connection as E_API_UNREACHABLE', async () => {
    server.handle((_line, socket) => socket.resetAndDestroy());
    const error = await failure(client().getstat1(never()));
    expect(error.code).toBe('E_API_UNREACHABLE');
  });
});
