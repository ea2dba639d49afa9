// The event stream over real loopback sockets: auth, origin, filters, limits, slow consumers,
// heartbeat and shutdown. Every test talks to a listening server with the `ws` client (or, for
// a peer that never reads, a raw TCP socket that performs the upgrade by hand).
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { type Socket, connect as tcpConnect } from 'node:net';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { ErrorEnvelopeSchema } from '@rigkit/client';
import type { Manager } from '@rigkit/core';
import { expectNoLeaks } from '@rigkit/testkit';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { listeningApp } from '../testing/listening-app.js';
import { TEST_TOKEN } from '../testing/test-app.js';

interface Message {
  type: string;
  event?: string;
  data?: Record<string, unknown> & { minerId?: string };
  code?: string;
  miners?: string[];
  events?: string[];
}

interface Client {
  ws: WebSocket;
  messages: Message[];
  /** Resolves with the close code and reason the client saw. */
  closed: Promise<{ code: number; reason: string }>;
}

interface ConnectOptions {
  token?: string | undefined;
  origin?: string;
  query?: string;
  autoPong?: boolean;
}

function clientFor(url: string, options: ConnectOptions = {}): WebSocket {
  const headers: Record<string, string> = {};
  const token = 'token' in options ? options.token : TEST_TOKEN;
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (options.origin !== undefined) headers.origin = options.origin;
  return new WebSocket(`${url}${options.query ?? ''}`, {
    headers,
    autoPong: options.autoPong ?? true,
  });
}

/** Opens a client and records every message it receives. Rejects if the upgrade is refused. */
async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  const ws = clientFor(url, options);
  const messages: Message[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.on('close', (code, reason) => resolve({ code, reason: String(reason) }));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (request, response) => {
      request.destroy();
      reject(new Error(`upgrade refused with ${response.statusCode}`));
    });
  });
  return { ws, messages, closed };
}

/** Expects the upgrade to be refused; returns the HTTP status and the (envelope) body. */
async function refused(url: string, options: ConnectOptions = {}) {
  const ws = clientFor(url, options);
  ws.on('error', () => {}); // destroying the request below surfaces as an error
  return new Promise<{ status: number; code: string }>((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    ws.once('unexpected-response', (request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        request.destroy();
        const body = ErrorEnvelopeSchema.parse(JSON.parse(Buffer.concat(chunks).toString()));
        resolve({ status: response.statusCode ?? 0, code: body.error.code });
      });
    });
  });
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

async function subscribe(client: Client, filter: { miners?: string[]; events?: string[] }) {
  const before = client.messages.length;
  client.ws.send(JSON.stringify({ type: 'subscribe', ...filter }));
  await until(
    () => client.messages.slice(before).some((m) => m.type === 'subscribed'),
    'the subscribe acknowledgement',
  );
}

/** Emits a `miner.state` marker event and waits until `client` has it (all earlier ones too). */
async function sync(manager: Manager, client: Client, minerId = 'marker'): Promise<void> {
  const reason = `sync-${randomBytes(4).toString('hex')}`;
  manager.events.emit('miner.state', {
    minerId,
    from: 'idle',
    to: 'idle',
    generation: 0,
    reason,
    time: Date.now(),
  });
  await until(() => client.messages.some((m) => m.data?.reason === reason), 'the sync marker');
}

const events = (client: Client) => client.messages.filter((m) => m.type === 'event');

function logEvent(minerId: string, seq: number, text: string) {
  return {
    minerId,
    entry: { seq, time: Date.now(), stream: 'stdout' as const, text, truncated: false },
  };
}

/** A peer that upgrades by hand, then never reads another byte. */
async function nonReadingPeer(port: number): Promise<Socket> {
  const socket = tcpConnect(port, '127.0.0.1');
  await once(socket, 'connect');
  const head = new Promise<string>((resolve) => {
    socket.once('data', (chunk: Buffer) => {
      socket.pause(); // synchronously: nothing after the handshake is ever consumed
      resolve(chunk.toString('latin1'));
    });
  });
  socket.write(
    [
      'GET /api/v1/events HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Authorization: Bearer ${TEST_TOKEN}`,
      '',
      '',
    ].join('\r\n'),
  );
  expect(await head).toMatch(/^HTTP\/1\.1 101 /);
  return socket;
}

// Generous: the monorepo runs suites in parallel on a shared 2-core machine.
describe('EventHub over real sockets', { timeout: 20_000 }, () => {
  it('requires the API token for the upgrade: header or ?token=, compared fully', async () => {
    const { url, hub } = await listeningApp();
    expect(await refused(url, { token: undefined })).toEqual({
      status: 401,
      code: 'E_UNAUTHORIZED',
    });
    expect(await refused(url, { token: 'wrong' })).toEqual({ status: 401, code: 'E_UNAUTHORIZED' });
    expect(await refused(url, { token: `${TEST_TOKEN}x` })).toEqual({
      status: 401,
      code: 'E_UNAUTHORIZED',
    });
    expect(await refused(url, { token: undefined, query: '?token=wrong' })).toMatchObject({
      status: 401,
    });
    expect(hub.size).toBe(0);

    const viaQuery = await connect(url, { token: undefined, query: `?token=${TEST_TOKEN}` });
    const viaHeader = await connect(url);
    await until(() => hub.size === 2, 'two attached clients');
    viaQuery.ws.close();
    viaHeader.ws.close();
    await until(() => hub.size === 0, 'the clients to detach');
  });

  it('accepts loopback, allow-listed and absent Origins; refuses others with 403', async () => {
    const { url } = await listeningApp();
    for (const origin of [
      'https://evil.example',
      'http://localhost.evil.example',
      'null',
      'file://',
      'https://rig.example',
    ]) {
      expect(await refused(url, { origin }), origin).toEqual({
        status: 403,
        code: 'E_FORBIDDEN_ORIGIN',
      });
    }
    // The origin check must not let a page skip the token either.
    expect(await refused(url, { origin: 'https://evil.example', token: undefined })).toMatchObject({
      status: 401,
    });
    for (const origin of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:5173']) {
      (await connect(url, { origin })).ws.close();
    }
    (await connect(url)).ws.close(); // no Origin: a non-browser client

    const allowing = await listeningApp({ ws: { allowedOrigins: ['https://rig.example'] } });
    (await connect(allowing.url, { origin: 'https://rig.example' })).ws.close();
    expect(await refused(allowing.url, { origin: 'https://evil.example' })).toMatchObject({
      status: 403,
    });
  });

  it('delivers only the subscribed miners and event types', async () => {
    const { url, manager } = await listeningApp();
    const a = await manager.create({ kind: 'memory', name: 'a', id: 'a' });
    const b = await manager.create({ kind: 'memory', name: 'b', id: 'b' });
    const filtered = await connect(url);
    const everything = await connect(url);
    await subscribe(filtered, { miners: ['a', 'marker'], events: ['miner.state'] });
    expect(filtered.messages.at(-1)).toEqual({
      type: 'subscribed',
      miners: ['a', 'marker'],
      events: ['miner.state'],
    });

    await a.start();
    await b.start();
    manager.events.emit('miner.log', logEvent('a', 1, 'hello from a'));
    manager.events.emit('miner.log', logEvent('b', 1, 'hello from b'));
    await a.stop();
    await b.stop();
    await sync(manager, filtered);
    await sync(manager, everything);

    const got = events(filtered).filter((m) => m.data?.minerId === 'a');
    expect(got.map((m) => `${m.data?.from}->${m.data?.to}`)).toEqual([
      'idle->starting',
      'starting->running',
      'running->stopping',
      'stopping->stopped',
    ]);
    expect(
      events(filtered).every(
        (m) => m.event === 'miner.state' && ['a', 'marker'].includes(m.data?.minerId ?? ''),
      ),
    ).toBe(true);
    // The unfiltered client saw the rest: both miners, logs included.
    const seen = new Set(events(everything).map((m) => `${m.event}:${m.data?.minerId}`));
    expect([...seen]).toEqual(
      expect.arrayContaining(['miner.state:a', 'miner.state:b', 'miner.log:a', 'miner.log:b']),
    );

    // Empty lists reset the filter to "everything".
    await subscribe(filtered, { miners: [], events: [] });
    manager.events.emit('miner.log', logEvent('b', 2, 'now visible'));
    await sync(manager, filtered);
    expect(events(filtered).some((m) => m.event === 'miner.log' && m.data?.minerId === 'b')).toBe(
      true,
    );
  });

  it('forwards the stratum proxy events, filterable by type and miner like the others', async () => {
    const { url, manager } = await listeningApp();
    const workers = await connect(url);
    const upstreams = await connect(url);
    await subscribe(workers, {
      miners: ['proxy-a', 'marker'],
      events: ['proxy.worker.connected', 'proxy.worker.disconnected', 'miner.state'],
    });
    await subscribe(upstreams, {
      events: [
        'proxy.upstream.up',
        'proxy.upstream.down',
        'proxy.upstream.failover',
        'miner.state',
      ],
    });
    const time = Date.now();
    for (const minerId of ['proxy-a', 'proxy-b']) {
      const worker = { minerId, worker: 'rig-1', address: '10.0.0.7', connectionId: 1, time };
      manager.events.emit('proxy.worker.connected', worker);
      manager.events.emit('proxy.upstream.up', { minerId, upstreamId: 1, pool: 'p:1', time });
      manager.events.emit('proxy.upstream.failover', {
        minerId,
        from: 'stratum+tcp://p:1',
        to: 'stratum+tcp://q:2',
        reason: 'failure',
        time,
      });
      manager.events.emit('proxy.upstream.down', {
        minerId,
        upstreamId: 1,
        pool: 'p:1',
        reason: 'closed',
        time,
      });
      manager.events.emit('proxy.worker.disconnected', { ...worker, reason: 'idle' });
    }
    await sync(manager, workers);
    await sync(manager, upstreams);

    const seen = (client: Client) =>
      events(client)
        .filter((m) => m.event?.startsWith('proxy.'))
        .map((m) => `${m.event}:${m.data?.minerId}`);
    expect(seen(workers)).toEqual([
      'proxy.worker.connected:proxy-a',
      'proxy.worker.disconnected:proxy-a',
    ]);
    expect(seen(upstreams)).toEqual([
      'proxy.upstream.up:proxy-a',
      'proxy.upstream.failover:proxy-a',
      'proxy.upstream.down:proxy-a',
      'proxy.upstream.up:proxy-b',
      'proxy.upstream.failover:proxy-b',
      'proxy.upstream.down:proxy-b',
    ]);
    expect(events(workers).find((m) => m.event === 'proxy.worker.disconnected')?.data).toEqual({
      minerId: 'proxy-a',
      worker: 'rig-1',
      address: '10.0.0.7',
      connectionId: 1,
      reason: 'idle',
      time,
    });
  });

  it('answers invalid client messages with an error and stays open; floods are closed (1008)', async () => {
    const { url, manager } = await listeningApp({ ws: { maxControlMessagesPerMinute: 6 } });
    const client = await connect(url);
    const junk: Array<string | Buffer> = [
      'not json',
      '{"type":"subscribe","miners":["../etc/passwd"]}',
      '{"type":"subscribe","events":["miner.nope"]}',
      '{"type":"subscribe","extra":true}',
      Buffer.from([0, 1, 2, 3]),
    ];
    for (const message of junk) client.ws.send(message, { binary: Buffer.isBuffer(message) });
    await until(() => client.messages.length === junk.length, 'an answer to each message');
    expect(client.messages).toEqual(
      junk.map(() => expect.objectContaining({ type: 'error', code: 'E_VALIDATION' })),
    );
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    await sync(manager, client); // still attached and still receiving events

    client.ws.send('{"type":"subscribe"}'); // the 6th message in the window: valid, answered
    client.ws.send('{"type":"subscribe"}'); // the 7th: over the limit
    expect(await client.closed).toEqual({ code: 1008, reason: 'too many control messages' });
  });

  it('closes clients beyond maxClients with 1013 "too many clients"', async () => {
    const { url, hub, manager } = await listeningApp({ ws: { maxClients: 3 } });
    const first = await Promise.all([connect(url), connect(url), connect(url)]);
    await until(() => hub.size === 3, 'three clients');
    const extra = await connect(url); // the upgrade succeeds, then the hub says no
    expect(await extra.closed).toEqual({ code: 1013, reason: 'too many clients' });
    expect(hub.size).toBe(3);

    first[0]?.ws.close();
    await until(() => hub.size === 2, 'a slot to free up');
    const late = await connect(url);
    await until(() => hub.size === 3, 'the late client to be attached');
    await sync(manager, late);
    expect(late.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('drops a consumer that stops reading (1013) while a fast one gets every event; memory stays bounded', async () => {
    const queueSize = 64;
    const { app, hub, manager, port, url } = await listeningApp({ ws: { queueSize } });
    const fast = await connect(url);
    const slow = await nonReadingPeer(port);
    await until(() => hub.size === 2, 'both clients');

    const line = 'x'.repeat(2048);
    const frameBytes = JSON.stringify({
      type: 'event',
      event: 'miner.log',
      data: logEvent('m', 1_000_000, line),
    }).length;
    const total = 20_000; // ~40 MiB: far more than the loopback socket buffers hold
    let maxBuffered = 0;
    for (let seq = 1; seq <= total; seq++) {
      manager.events.emit('miner.log', logEvent('m', seq, line));
      if (seq % 50 === 0) {
        for (const socket of app.websocketServer.clients)
          maxBuffered = Math.max(maxBuffered, socket.bufferedAmount);
        await nextTurn(); // the fast client reads between batches, as a real producer allows
      }
    }
    // Without the bound the server would hold tens of MiB for the peer; with it, at most the
    // queue (plus the frame in hand).
    expect(maxBuffered).toBeGreaterThan(0); // the peer really did stop reading
    expect(maxBuffered).toBeLessThanOrEqual((queueSize + 1) * (frameBytes + 16));
    await until(() => hub.droppedSlowClients === 1, 'the slow client to be dropped');
    expect(hub.size).toBe(1);

    await until(
      () => events(fast).length === total,
      `all ${total} events at the fast client`,
      15_000,
    );
    expect(events(fast).at(-1)?.data).toMatchObject({ entry: { seq: total } });
    expect(hub.droppedSlowClients).toBe(1);
    // The peer never completes the close handshake, so the server terminates it.
    await until(() => app.websocketServer.clients.size === 1, 'the slow socket to be terminated');
    slow.destroy();
  });

  it('does not mistake a fast client for a slow one when events come in a synchronous burst', async () => {
    const { hub, manager, url } = await listeningApp({ ws: { queueSize: 256 } });
    const client = await connect(url);
    await until(() => hub.size === 1, 'the client');
    // A miner printing a screenful of short lines emits them in one synchronous loop.
    for (let seq = 1; seq <= 1000; seq++)
      manager.events.emit('miner.log', logEvent('m', seq, 'ok'));
    await until(() => events(client).length === 1000, 'the burst');
    expect(hub.droppedSlowClients).toBe(0);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('terminates peers that stop answering pings; live ones stay', async () => {
    const { hub, manager, url } = await listeningApp({ ws: { pingIntervalMs: 100 } });
    const live = await connect(url);
    const dead = await connect(url, { autoPong: false });
    await until(() => hub.size === 2, 'both clients');
    const started = Date.now();
    const { code } = await dead.closed;
    expect(code).toBe(1006); // terminated: no close frame
    expect(Date.now() - started).toBeLessThan(1000);
    expect(hub.size).toBe(1);
    await sleep(400); // several more heartbeats
    expect(live.ws.readyState).toBe(WebSocket.OPEN);
    await sync(manager, live);
  });

  it('never sends one client anything caused by another client', async () => {
    const { manager, url } = await listeningApp();
    const noisy = await connect(url);
    const quiet = await connect(url);
    noisy.ws.send('{"type":"ping"}');
    noisy.ws.send('garbage');
    noisy.ws.ping();
    await subscribe(noisy, { events: ['miner.state'] });
    await sync(manager, noisy);
    await sync(manager, quiet);
    expect(quiet.messages.every((m) => m.type === 'event')).toBe(true);
    expect(quiet.messages).toHaveLength(2); // the two sync markers, nothing else
  });

  it('closes clients with 1001 on hub.close() and leaves nothing behind after app.close()', async () => {
    await expectNoLeaks(async () => {
      const { app, close, hub, manager, port, url } = await listeningApp({ ws: { queueSize: 8 } });
      const clients = await Promise.all([connect(url), connect(url)]);
      // One more that stops reading and is dropped: its socket is pending termination.
      const slow = await nonReadingPeer(port);
      await until(() => hub.size === 3, 'three clients');
      const line = 'y'.repeat(4096);
      for (let seq = 1; hub.droppedSlowClients === 0 && seq < 100_000; seq++) {
        manager.events.emit('miner.log', logEvent('m', seq, line));
        if (seq % 20 === 0) await nextTurn();
      }
      expect(hub.droppedSlowClients).toBe(1);

      hub.close();
      for (const client of clients) {
        expect(await client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
      }
      // The dropped peer is terminated right away, not when its grace timer would fire.
      await until(() => app.websocketServer.clients.size === 0, 'every server socket', 500);
      expect(hub.size).toBe(0);
      await close();
      slow.destroy();
    });
  });
});
