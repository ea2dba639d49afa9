import { createServer } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { isRigkitError } from '@rigkit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectNoLeaks, waitForBaseline } from '../../leaks/expect-no-leaks.js';
import { snapshotResources } from '../../leaks/snapshot-resources.js';
import { TEST_POOL_TLS } from '../xmrig/testing/tls-test-cert.js';
import { connectStratumClient, type StratumNotification } from './stratum-client.js';
import { StratumClientError } from './stratum-client-error.js';
import { type ScriptedServer, startScriptedServer } from './testing/scripted-server.js';

const codeOf = (error: unknown) => (isRigkitError(error) ? error.code : String(error));

describe('StratumClient', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await server?.close();
    server = undefined;
  });

  it('sends numbered requests, matches replies in any order and split byte by byte, and passes notifications on', async () => {
    server = await startScriptedServer();
    const client = await connectStratumClient({ host: '127.0.0.1', port: server.port });
    const peer = await server.accepted();
    const notifications: StratumNotification[] = [];
    const dispose = client.onNotification((n) => notifications.push(n));

    const first = client.request('mining.subscribe', ['cgminer/4.10.0']);
    const second = client.request('mining.authorize', ['account.worker1', 'x']);
    const third = client.request('mining.extranonce.subscribe', []);
    expect(await peer.nextLine()).toBe(
      '{"id":1,"method":"mining.subscribe","params":["cgminer/4.10.0"]}',
    );
    expect(await peer.nextLine()).toBe(
      '{"id":2,"method":"mining.authorize","params":["account.worker1","x"]}',
    );
    expect(await peer.nextLine()).toBe(
      '{"id":3,"method":"mining.extranonce.subscribe","params":[]}',
    );
    expect(client.pendingCount).toBe(3);

    // Reverse order; the last one byte by byte, with a notification and an unknown id in one
    // chunk ahead of it.
    peer.socket.write('{"id":3,"result":true,"error":null}\r\n');
    await peer.writeByteByByte('{"id":2,"result":true,"error":null}\n');
    peer.socket.write(
      '{"id":null,"method":"mining.set_difficulty","params":[1024]}\n{"id":99,"result":true,"error":null}\n{"id":1,"result":[[],"08000002",4],"err',
    );
    await peer.writeByteByByte('or":null}\n');
    expect(await third).toEqual({ id: 3, result: true, error: null });
    expect(await second).toEqual({ id: 2, result: true, error: null });
    expect(await first).toEqual({ id: 1, result: [[], '08000002', 4], error: null });
    expect(notifications).toEqual([{ id: null, method: 'mining.set_difficulty', params: [1024] }]);
    expect(client.counters).toEqual({
      requests: 3,
      replies: 3,
      unknownReplies: 1,
      notifications: 1,
      invalidLines: 0,
    });

    // Garbage is counted and dropped; a disposed listener hears nothing more.
    dispose();
    peer.socket.write('not json\n[1]\n{"id":null,"method":"client.reconnect","params":[]}\n');
    const fourth = client.request('mining.ping', []);
    expect(await peer.nextLine()).toBe('{"id":4,"method":"mining.ping","params":[]}');
    peer.socket.write('{"id":4,"result":"pong","error":null}\n');
    await fourth;
    expect(notifications).toHaveLength(1);
    expect(client.counters).toMatchObject({ invalidLines: 2, notifications: 2 });

    expect(await client.close()).toEqual({ reason: 'client', hadError: false });
  });

  it('adds "jsonrpc":"2.0" when asked, and send() writes bytes exactly as given', async () => {
    server = await startScriptedServer();
    const client = await connectStratumClient({
      host: '127.0.0.1',
      port: server.port,
      jsonrpc: true,
    });
    const peer = await server.accepted();
    void client.request('keepalived', { id: 'abc' }).catch(() => {});
    expect(await peer.nextLine()).toBe(
      '{"id":1,"jsonrpc":"2.0","method":"keepalived","params":{"id":"abc"}}',
    );
    client.send('{"half":');
    client.send('1}\n{"x":2}\n');
    expect(await peer.nextLine()).toBe('{"half":1}');
    expect(await peer.nextLine()).toBe('{"x":2}');
    await client.close();
  });

  it('times a request out with fake timers, clears the timer on a reply, counts a late reply as unknown', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    server = await startScriptedServer();
    const client = await connectStratumClient({ host: '127.0.0.1', port: server.port });
    const peer = await server.accepted();
    const slow = client.request('slow', [], { timeoutMs: 5_000 });
    const fast = client.request('fast', [], { timeoutMs: 1_000 });
    const untimed = client.request('untimed', []);
    await peer.nextLine();
    await peer.nextLine();
    await peer.nextLine();
    const slowError = slow.catch((e: unknown) => e);
    const fastError = fast.catch((e: unknown) => e);

    vi.advanceTimersByTime(1_000);
    const error = await fastError;
    expect(error).toBeInstanceOf(StratumClientError);
    expect(codeOf(error)).toBe('E_STRATUM_CLIENT_TIMEOUT');
    expect((error as StratumClientError).details).toEqual({ method: 'fast', id: 2 });
    expect(vi.getTimerCount()).toBe(1); // re-armed for the slow one only
    // The slow one's reply arrives in time: no timer is left.
    peer.socket.write('{"id":1,"result":true,"error":null}\n');
    expect(await slowError).toEqual({ id: 1, result: true, error: null });
    expect(vi.getTimerCount()).toBe(0);
    // The fast one's reply is late.
    peer.socket.write('{"id":2,"result":true,"error":null}\n{"id":3,"result":1,"error":null}\n');
    expect((await untimed).result).toBe(1);
    expect(client.counters.unknownReplies).toBe(1);
    expect(client.pendingCount).toBe(0);
    await client.close();
  });

  it('close() rejects pending requests with a typed error, is idempotent, and later requests fail', async () => {
    server = await startScriptedServer();
    const client = await connectStratumClient({ host: '127.0.0.1', port: server.port });
    const peer = await server.accepted();
    const pending = [client.request('a', [], { timeoutMs: 60_000 }), client.request('b', [])];
    await peer.nextLine();
    const results = Promise.allSettled(pending);
    const peerClosed = new Promise((resolve) => peer.socket.on('close', resolve));
    const [one, two] = [client.close(), client.close()];
    expect(await one).toEqual({ reason: 'client', hadError: false });
    expect(await two).toEqual({ reason: 'client', hadError: false });
    for (const result of await results) {
      expect(result.status).toBe('rejected');
      expect(codeOf((result as PromiseRejectedResult).reason)).toBe('E_STRATUM_CLIENT_CLOSED');
    }
    expect(codeOf(await client.request('c', []).catch((e: unknown) => e))).toBe(
      'E_STRATUM_CLIENT_CLOSED',
    );
    expect(() => client.send('x\n')).toThrow(StratumClientError);
    await peerClosed;
  });

  it('the peer closing rejects pending requests; closed says why', async () => {
    server = await startScriptedServer();
    const client = await connectStratumClient({ host: '127.0.0.1', port: server.port });
    const peer = await server.accepted();
    const pending = client.request('a', []).catch((e: unknown) => e);
    await peer.nextLine();
    peer.socket.end();
    expect(codeOf(await pending)).toBe('E_STRATUM_CLIENT_CLOSED');
    expect((await pending) as StratumClientError).toMatchObject({
      details: { method: 'a', id: 1, reason: 'peer' },
    });
    expect(await client.closed).toEqual({ reason: 'peer', hadError: false });
  });

  it('a line over maxLineBytes closes the connection', async () => {
    server = await startScriptedServer();
    const client = await connectStratumClient({
      host: '127.0.0.1',
      port: server.port,
      maxLineBytes: 1024,
    });
    const peer = await server.accepted();
    const pending = client.request('a', []).catch((e: unknown) => e);
    await peer.nextLine();
    peer.socket.write(`{"id":1,"result":"${'x'.repeat(2048)}"}\n`);
    expect((await client.closed).reason).toBe('line-too-long');
    expect(codeOf(await pending)).toBe('E_STRATUM_CLIENT_CLOSED');
    expect(client.counters.replies).toBe(0);
  });

  it('refuses requests beyond maxPending, and listeners beyond the limit', async () => {
    server = await startScriptedServer();
    const client = await connectStratumClient({
      host: '127.0.0.1',
      port: server.port,
      maxPending: 2,
    });
    const a = client.request('a', []).catch((e: unknown) => e);
    const b = client.request('b', []).catch((e: unknown) => e);
    const error = await client.request('c', []).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('E_STRATUM_CLIENT_PENDING_LIMIT');
    expect((error as StratumClientError).details).toEqual({ method: 'c', maxPending: 2 });
    for (let i = 0; i < 64; i += 1) client.onNotification(() => {});
    expect(() => client.onNotification(() => {})).toThrow(/at most 64/);
    await client.close();
    expect(codeOf(await a)).toBe('E_STRATUM_CLIENT_CLOSED');
    expect(codeOf(await b)).toBe('E_STRATUM_CLIENT_CLOSED');
  });

  it('rejects a refused connection with E_STRATUM_CLIENT_CONNECT', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const address = probe.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise((resolve) => probe.close(resolve));
    const error = await connectStratumClient({ host: '127.0.0.1', port }).catch((e: unknown) => e);
    expect(codeOf(error)).toBe('E_STRATUM_CLIENT_CONNECT');
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('speaks over TLS, and a certificate it does not trust is a connect error', async () => {
    await expectNoLeaks(async () => {
      const tlsServer = createTlsServer(TEST_POOL_TLS, (socket) => {
        socket.on('error', () => {});
        socket.on('data', (chunk: Buffer) => {
          const { id } = JSON.parse(chunk.toString()) as { id: number };
          socket.write(`{"id":${id},"result":"tls","error":null}\n`);
        });
      });
      tlsServer.on('tlsClientError', () => {});
      await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
      const address = tlsServer.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const client = await connectStratumClient({
        host: '127.0.0.1',
        port,
        tls: { rejectUnauthorized: false },
      });
      expect((await client.request('ping', [])).result).toBe('tls');
      await client.close();
      const error = await connectStratumClient({ host: '127.0.0.1', port, tls: true }).catch(
        (e: unknown) => e,
      );
      expect(codeOf(error)).toBe('E_STRATUM_CLIENT_CONNECT');
      expect((error as Error).message).toMatch(/self[- ]signed/);
      await new Promise((resolve) => tlsServer.close(resolve));
    });
  });

  it('leaves no socket or timer behind: many clients with timed requests, replied or closed', async () => {
    await expectNoLeaks(async () => {
      const scripted = await startScriptedServer();
      const clients = await Promise.all(
        Array.from({ length: 20 }, () =>
          connectStratumClient({ host: '127.0.0.1', port: scripted.port }),
        ),
      );
      const peers = await Promise.all(clients.map(() => scripted.accepted()));
      const baseline = snapshotResources();
      const replies = clients.map((c) => c.request('ping', [], { timeoutMs: 60_000 }));
      const doomed = clients.map((c) =>
        c.request('never', [], { timeoutMs: 60_000 }).catch((e: unknown) => e),
      );
      for (const peer of peers) {
        const line = JSON.parse(await peer.nextLine()) as { id: number };
        await peer.nextLine();
        peer.socket.write(`{"id":${line.id},"result":true,"error":null}\n`);
      }
      await Promise.all(replies);
      // One timer per client at most, for the request still waiting.
      expect(
        process.getActiveResourcesInfo().filter((t) => t === 'Timeout').length -
          (baseline.resources.Timeout ?? 0),
      ).toBeLessThanOrEqual(20);
      await Promise.all(clients.map((c) => c.close()));
      for (const error of await Promise.all(doomed)) {
        expect(codeOf(error)).toBe('E_STRATUM_CLIENT_CLOSED');
      }
      expect(await waitForBaseline(baseline)).toEqual({});
      await scripted.close();
    });
  });
});
