// Per-worker statistics stay bounded on the live path: many distinct worker names log in
// through a real proxy (one connection each, as a farm of renamed rigs would) and the proxy
// keeps at most `maxWorkers` records plus the shared overflow record, and stays usable.
import { connect } from 'node:net';
import { startCryptoNotePool } from '@rigkit/testkit/simulators';
import { afterEach, describe, expect, it } from 'vitest';
import { loginCnMiner } from '../testing/cryptonote-miner.js';
import { startTestProxy } from '../testing/proxy-harness.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * Distinct names logged in. Each is one TCP connection (a login names one worker), and this
 * 2-core machine does about 1,300 connect → login → close cycles a second with the clients in
 * the same process, so the default run uses 10,000 names — 200 times the cap, plenty to show it
 * holds — and `RIGKIT_PROXY_WORKER_NAMES=100000` runs the full 100,000 (about 50 s here).
 */
const NAMES = Number(process.env.RIGKIT_PROXY_WORKER_NAMES ?? 10_000);
const CONCURRENCY = 32;

/**
 * Logs in as `name` with a bare socket (no per-line parsing); once answered, sends a line that
 * is not JSON so the proxy closes first: the TIME_WAIT stays on the proxy's side and the client
 * sockets do not exhaust the ephemeral ports.
 */
function loginOnce(port: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    let seen = '';
    let answered = false;
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      socket.write(
        `{"id":1,"jsonrpc":"2.0","method":"login","params":{"login":"${name}","pass":"x"}}\n`,
      );
    });
    socket.on('data', (chunk: string) => {
      seen += chunk;
      if (!answered && seen.includes('\n')) {
        answered = true;
        socket.write('bye\n');
      }
    });
    socket.on('error', () => {}); // 'close' follows
    socket.on('close', () => {
      if (seen.includes('"status":"OK"')) resolve();
      else reject(new Error(`login of ${name} not answered: ${seen.slice(0, 200)}`));
    });
  });
}

describe('per-worker statistics under many distinct names', () => {
  it('keeps at most maxWorkers + 1 records and the proxy stays usable', async () => {
    // Jobs keep coming, as from a real pool: slots freed by miners that left are reused only
    // after the next job, so without jobs every 256 logins would open another upstream.
    const pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 100 });
    cleanups.push(() => pool.close());
    const maxWorkers = 50;
    const { proxy, port, events } = await startTestProxy({
      protocol: 'cryptonote',
      mode: 'aggregate',
      pools: [{ url: pool.url, user: 'farm-wallet' }],
      limits: { maxWorkers, maxConnections: 1000, maxConnectionsPerIp: 1000 },
    });
    cleanups.push(() => proxy.stop());
    await events.next('proxy.upstream.up');

    let next = 0;
    let peakKnown = 0;
    const lane = async () => {
      for (;;) {
        const index = next++;
        if (index >= NAMES) return;
        await loginOnce(port, `rig-${index.toString(36)}`);
        if (index % 1000 === 0) peakKnown = Math.max(peakKnown, proxy.stats().workers.known);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, () => lane()));

    const connected = events.of('proxy.worker.connected').length;
    expect(connected).toBe(NAMES);
    peakKnown = Math.max(peakKnown, proxy.stats().workers.known);
    expect(peakKnown).toBeLessThanOrEqual(maxWorkers + 1);
    expect(proxy.stats().workers.known).toBeLessThanOrEqual(maxWorkers + 1);
    expect(proxy.workers().length).toBeLessThanOrEqual(maxWorkers + 1);
    expect(proxy.stats().miners.now).toBe(0);

    // Still usable: a new miner logs in and its share is accepted.
    const miner = await loginCnMiner(port, 'after-the-storm');
    cleanups.push(() => miner.client.destroy());
    expect((await miner.submit(1)).result).toEqual({ status: 'OK' });
    expect(proxy.workers().map((worker) => worker.name)).toContain('after-the-storm');
  }, 600_000);
});
