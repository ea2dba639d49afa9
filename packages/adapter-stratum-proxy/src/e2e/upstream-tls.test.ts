// Upstream TLS: the pool is reached through a TLS terminator (the test kit's self-signed
// certificate) in front of the CryptoNote pool simulator.
import { connect as connectTcp } from 'node:net';
import { createServer as createTlsServer, type Server } from 'node:tls';
import { createCapturingLogger, TEST_POOL_TLS } from '@rigkit/testkit';
import { startCryptoNotePool } from '@rigkit/testkit/simulators';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loginCnMiner } from '../testing/cryptonote-miner.js';
import { startTestProxy, until } from '../testing/proxy-harness.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A TLS listener that forwards every connection to `port` in the clear. */
async function tlsInFrontOf(port: number): Promise<{ server: Server; port: number }> {
  const server = createTlsServer({ key: TEST_POOL_TLS.key, cert: TEST_POOL_TLS.cert }, (tls) => {
    const plain = connectTcp({ host: '127.0.0.1', port });
    tls.on('error', () => plain.destroy());
    plain.on('error', () => tls.destroy());
    tls.pipe(plain).pipe(tls);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

describe('upstream TLS', () => {
  it('mines through a stratum+ssl pool', async () => {
    const pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 });
    cleanups.push(() => pool.close());
    const tls = await tlsInFrontOf(pool.port);
    const { proxy, port, events } = await startTestProxy({
      protocol: 'cryptonote',
      pools: [
        {
          url: `stratum+ssl://127.0.0.1:${tls.port}`,
          user: 'farm-wallet',
          // The test certificate is self-signed.
          tlsRejectUnauthorized: false,
        },
      ],
    });
    cleanups.push(() => proxy.stop());
    await events.next('proxy.upstream.up');
    const miner = await loginCnMiner(port, 'rig-tls');
    cleanups.push(() => miner.client.destroy());
    expect((await miner.submit(7)).result).toEqual({ status: 'OK' });
    expect(pool.stats().accepted).toBe(1);
  });

  it('refuses a pool certificate it cannot verify unless told otherwise', async () => {
    const pool = await startCryptoNotePool({ difficulty: 1000, jobIntervalMs: 0 });
    cleanups.push(() => pool.close());
    const tls = await tlsInFrontOf(pool.port);
    const logger = createCapturingLogger();
    const { proxy, events } = await startTestProxy(
      {
        protocol: 'cryptonote',
        pools: [{ url: `stratum+ssl://127.0.0.1:${tls.port}`, user: 'farm-wallet' }],
        failover: { initialBackoffMs: 50, maxBackoffMs: 100 },
      },
      { logger },
    );
    cleanups.push(() => proxy.stop());
    await until(() => logger.text().includes('pool connection failed'));
    expect(logger.text()).toMatch(/SELF_SIGNED|self.signed|certificate/i);
    expect(events.of('proxy.upstream.up')).toEqual([]);
    expect(proxy.healthy).toBe(false);
    expect(pool.stats().logins).toBe(0);
  });
});
