// A `stratum-proxy` miner inside the server: registered by default, created through the API,
// supervised like any miner, its readings in /metrics and its `proxy.*` events on the bus.
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { stratumProxyAdapter } from '@rigkit/adapter-stratum-proxy';
import { type EventBus, getFreePort, type RigkitEvents } from '@rigkit/core';
import { startCryptoNotePool } from '@rigkit/testkit/simulators';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigSchema } from '../config/config-schema.js';
import { loadAdapters } from '../config/load-adapters.js';
import { testApp } from '../testing/test-app.js';

/** Logs in to a CryptoNote endpoint over raw TCP and resolves with the login reply. */
async function login(port: number, worker: string) {
  const socket: Socket = connect(port, '127.0.0.1');
  onTestFinished(() => {
    socket.destroy();
  });
  await once(socket, 'connect');
  const reply = new Promise<Record<string, unknown>>((resolve, reject) => {
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      const end = buffer.indexOf('\n');
      if (end !== -1) resolve(JSON.parse(buffer.slice(0, end)));
    });
    socket.once('close', () => reject(new Error('closed before the login reply')));
  });
  socket.write(
    `${JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'login', params: { login: worker, pass: 'x', agent: 'test/1.0' } })}\n`,
  );
  return { socket, reply: await reply };
}

/** Resolves with the next event of `type` that `match` accepts. */
function nextEvent<T extends keyof RigkitEvents>(
  manager: { events: EventBus<RigkitEvents> },
  type: T,
  match: (event: RigkitEvents[T]) => boolean = () => true,
): Promise<RigkitEvents[T]> {
  return new Promise((resolve) => {
    const off = manager.events.on(type, (event) => {
      if (!match(event)) return;
      off();
      resolve(event);
    });
  });
}

describe('stratum-proxy miners', () => {
  it('are available by default: the default config loads the proxy adapter next to xmrig', async () => {
    const config = ConfigSchema.parse({});
    expect(config.adapters).toEqual(['@rigkit/adapter-xmrig', '@rigkit/adapter-stratum-proxy']);
    const adapters = await loadAdapters(config.adapters, tmpdir());
    expect(adapters.map((adapter) => adapter.kind)).toEqual(['xmrig', 'stratum-proxy']);
  });

  it('run from the API: proxy events, adapter metrics, opt-in worker rows, nothing left after delete', async () => {
    const pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 });
    onTestFinished(() => pool.close());
    const { app, auth, manager } = await testApp();
    manager.adapters.register(stratumProxyAdapter);

    const proxyPort = await getFreePort();
    const upstreamUp = nextEvent(manager, 'proxy.upstream.up', (e) => e.minerId === 'p1');
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: auth,
      payload: {
        kind: 'stratum-proxy',
        name: 'farm proxy',
        id: 'p1',
        options: {
          protocol: 'cryptonote',
          listen: { port: proxyPort },
          pools: [{ url: pool.url, user: 'farm-wallet', pass: 'SENTINEL-POOL-PASS' }],
          metrics: { workerLabels: true },
        },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain('SENTINEL-POOL-PASS');
    const started = await app.inject({
      method: 'POST',
      url: '/api/v1/miners/p1/start',
      headers: auth,
    });
    expect(started.json().state).toBe('running');
    expect((await upstreamUp).pool).toBe(`stratum+tcp://${pool.url}`);

    expect((await manager.get('p1').sample()).metrics?.proxy_miners).toBe(0); // no miner yet

    const connected = nextEvent(manager, 'proxy.worker.connected', (e) => e.minerId === 'p1');
    const miner = await login(proxyPort, 'rig-a');
    expect(miner.reply).toMatchObject({
      result: { status: 'OK', job: { job_id: expect.any(String) } },
    });
    expect(await connected).toMatchObject({ minerId: 'p1', worker: 'rig-a' });

    await manager.get('p1').sample();
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('rigkit_miner_adapter_metric{miner="p1",name="proxy_miners"} 1');
    expect(text).toContain(
      'rigkit_miner_adapter_metric{miner="p1",name="proxy_upstreams_active"} 1',
    );
    // metrics.workerLabels: workers arrive as device rows (capped by the adapter at 100).
    expect(text).toContain('rigkit_device_hashrate_hashes_per_second{miner="p1",device="rig-a"} 0');
    expect(text).not.toContain('SENTINEL-POOL-PASS');

    const disconnected = nextEvent(manager, 'proxy.worker.disconnected', (e) => e.minerId === 'p1');
    miner.socket.end();
    expect(await disconnected).toMatchObject({ worker: 'rig-a' });

    const deleted = await app.inject({
      method: 'DELETE',
      url: '/api/v1/miners/p1',
      headers: auth,
    });
    expect(deleted.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/metrics' })).body).not.toContain('miner="p1"');
  });

  it('keep worker names out of the metrics unless metrics.workerLabels is set', async () => {
    const pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 });
    onTestFinished(() => pool.close());
    const { app, auth, manager } = await testApp();
    manager.adapters.register(stratumProxyAdapter);
    const proxyPort = await getFreePort();
    await app.inject({
      method: 'POST',
      url: '/api/v1/miners',
      headers: auth,
      payload: {
        kind: 'stratum-proxy',
        name: 'proxy',
        id: 'p2',
        options: {
          protocol: 'cryptonote',
          listen: { port: proxyPort },
          pools: [{ url: pool.url, user: 'farm-wallet' }],
        },
      },
    });
    await manager.get('p2').start();
    const connected = nextEvent(manager, 'proxy.worker.connected');
    await login(proxyPort, 'rig-secret-name');
    await connected;
    await manager.get('p2').sample();
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toContain('rigkit_miner_adapter_metric{miner="p2",name="proxy_miners"} 1');
    expect(text).not.toContain('rig-secret-name');
  });
});
