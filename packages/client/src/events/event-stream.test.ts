import { expectNoLeaks } from '@rigkit/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../client.js';
import { FAKE_TOKEN, type FakeServer, startFakeServer } from '../testing/fake-server.js';
import { backoffDelay } from './backoff.js';
import type { EventStreamStatus, RigkitEventMessage } from './event-stream.js';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Collects what a stream reports and lets a test wait for a status without sleeping. */
function recorder() {
  const events: RigkitEventMessage[] = [];
  const statuses: EventStreamStatus[] = [];
  const waiters: { match: (s: EventStreamStatus) => boolean; resolve: () => void }[] = [];
  const eventWaiters: (() => void)[] = [];
  return {
    events,
    statuses,
    onEvent: (event: RigkitEventMessage) => {
      events.push(event);
      for (const w of eventWaiters.splice(0)) w();
    },
    onStatus: (status: EventStreamStatus) => {
      statuses.push(status);
      for (const w of [...waiters]) {
        if (w.match(status)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    },
    waitFor(state: EventStreamStatus['state'], count = 1): Promise<void> {
      return new Promise((resolve) => {
        let seen = 0;
        waiters.push({
          match: (s) => s.state === state && ++seen >= count,
          resolve,
        });
      });
    },
    nextEvent(): Promise<void> {
      return new Promise((resolve) => eventWaiters.push(resolve));
    },
  };
}

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter taken off the top', () => {
    const none = () => 0;
    const all = () => 1;
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, {}, none))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, {}, none)).toBe(30_000);
    expect(backoffDelay(20, { maxDelayMs: 5000 }, none)).toBe(5000);
    expect(backoffDelay(3, { jitter: 0.5 }, all)).toBe(2000);
    expect(backoffDelay(3, { jitter: 0 }, all)).toBe(4000);
    for (let i = 0; i < 100; i++) {
      const d = backoffDelay(2, { initialDelayMs: 100 });
      expect(d).toBeGreaterThanOrEqual(200);
      expect(d).toBeLessThanOrEqual(400);
    }
  });
});

describe('client.events', () => {
  it('subscribes with the filter, delivers events, and resubscribes after a lost connection', async () => {
    server = await startFakeServer();
    const fake = server;
    const client = createClient({ baseUrl: fake.url, token: FAKE_TOKEN });
    const rec = recorder();
    await expectNoLeaks(async () => {
      const firstConnection = fake.nextConnection();
      const stream = client.events({
        miners: ['rig-1'],
        events: ['miner.log', 'miner.state'],
        onEvent: rec.onEvent,
        onStatus: rec.onStatus,
        reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
      });
      const first = await firstConnection;
      await stream.subscribed();
      expect(first.messages).toEqual([
        { type: 'subscribe', miners: ['rig-1'], events: ['miner.log', 'miner.state'] },
      ]);

      const event = rec.nextEvent();
      fake.broadcast('miner.log', {
        minerId: 'rig-1',
        entry: { seq: 1, time: 1, stream: 'stdout', text: 'hello', truncated: false },
      });
      await event;
      expect(rec.events[0]).toMatchObject({ event: 'miner.log', data: { minerId: 'rig-1' } });

      // Kill the server side of the socket: no close frame, like a crash or a dropped link.
      const second = fake.nextConnection();
      const resubscribed = rec.waitFor('subscribed');
      first.socket.terminate();
      const again = await second;
      await resubscribed;
      expect(again.messages).toEqual([
        { type: 'subscribe', miners: ['rig-1'], events: ['miner.log', 'miner.state'] },
      ]);
      expect(rec.statuses.map((s) => s.state)).toEqual([
        'connecting',
        'subscribed',
        'disconnected',
        'connecting',
        'subscribed',
      ]);
      expect(rec.statuses[4]).toMatchObject({ reconnected: true });
      expect(stream.state).toBe('subscribed');

      // A changed filter is what a later reconnect sends.
      const changed = again.nextMessage();
      stream.subscribe({ miners: ['rig-2'] });
      expect(await changed).toEqual({ type: 'subscribe', miners: ['rig-2'] });

      await stream.close();
      expect(stream.state).toBe('closed');
      expect(rec.statuses.at(-1)).toEqual({ state: 'closed', error: undefined });
      await fake.close();
    });
    server = undefined;
  });

  it('keeps retrying with backoff while the server is down and resubscribes when it is back', async () => {
    server = await startFakeServer();
    const port = server.port;
    const client = createClient({ baseUrl: server.url, token: FAKE_TOKEN, timeoutMs: 2000 });
    const rec = recorder();
    const stream = client.events({
      events: ['miner.state'],
      onEvent: rec.onEvent,
      onStatus: rec.onStatus,
      reconnect: { initialDelayMs: 20, maxDelayMs: 40 },
    });
    await stream.subscribed();
    const downTwice = rec.waitFor('disconnected', 2);
    await server.close();
    await downTwice; // the first loss and at least one refused reconnect
    const refused = rec.statuses.filter((s) => s.state === 'disconnected')[1];
    expect(refused).toMatchObject({ error: { code: 'E_SERVER_UNREACHABLE' } });

    server = await startFakeServer(port);
    const back = server.nextConnection();
    const resubscribed = rec.waitFor('subscribed');
    const connection = await back;
    await resubscribed;
    expect(connection.messages).toEqual([{ type: 'subscribe', events: ['miner.state'] }]);
    await stream.close();
  });

  it('stops for good on 401: no reconnect, the error is reported', async () => {
    server = await startFakeServer();
    server.rejectUpgrades = 401;
    const client = createClient({ baseUrl: server.url, token: 'wrong' });
    const rec = recorder();
    await expectNoLeaks(async () => {
      const stream = client.events({
        onEvent: rec.onEvent,
        onStatus: rec.onStatus,
        reconnect: { initialDelayMs: 1 },
      });
      await expect(stream.subscribed()).rejects.toMatchObject({
        code: 'E_UNAUTHORIZED',
        status: 401,
      });
      await stream.closed;
      expect(stream.error?.code).toBe('E_UNAUTHORIZED');
      expect(rec.statuses.map((s) => s.state)).toEqual(['connecting', 'closed']);
    });
  });

  it('replaces a connection whose heartbeat stopped', async () => {
    server = await startFakeServer();
    server.autoSubscribe = false; // silent server: no reply, no ping
    const client = createClient({ baseUrl: server.url, token: FAKE_TOKEN });
    const rec = recorder();
    const disconnected = rec.waitFor('disconnected');
    const stream = client.events({
      onEvent: rec.onEvent,
      onStatus: rec.onStatus,
      heartbeatTimeoutMs: 100,
      reconnect: { initialDelayMs: 10 },
    });
    await disconnected;
    expect(rec.statuses.find((s) => s.state === 'disconnected')).toMatchObject({
      error: { code: 'E_HEARTBEAT_TIMEOUT' },
    });
    await stream.close();
  });

  it('reconnects after a 1013 close and honours close() during the backoff wait', async () => {
    server = await startFakeServer();
    const fake = server;
    const client = createClient({ baseUrl: fake.url, token: FAKE_TOKEN });
    const rec = recorder();
    await expectNoLeaks(async () => {
      const connection = fake.nextConnection();
      const stream = client.events({
        onEvent: rec.onEvent,
        onStatus: rec.onStatus,
        reconnect: { initialDelayMs: 60_000, maxDelayMs: 60_000, jitter: 0 },
      });
      await stream.subscribed();
      const disconnected = rec.waitFor('disconnected');
      (await connection).socket.close(1013, 'slow consumer');
      await disconnected;
      expect(rec.statuses.at(-1)).toMatchObject({ closeCode: 1013, retryInMs: 60_000 });
      expect(stream.state).toBe('reconnecting');
      await stream.close(); // clears the 60 s retry timer
      await fake.close();
    });
    server = undefined;
  });

  it('closes when its signal aborts, also before connecting', async () => {
    server = await startFakeServer();
    const client = createClient({ baseUrl: server.url, token: FAKE_TOKEN });
    const aborted = new AbortController();
    aborted.abort();
    const never = client.events({ onEvent: () => {}, signal: aborted.signal });
    await never.closed;
    const immediate = client.events({ onEvent: () => {} });
    await immediate.close(); // before it even started connecting
    expect(server.connections).toHaveLength(0);

    const controller = new AbortController();
    const stream = client.events({ onEvent: () => {}, signal: controller.signal });
    await stream.subscribed();
    controller.abort();
    await stream.closed;
    expect(stream.state).toBe('closed');
  });
});
