import { defineAdapter } from '@rigkit/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testApp } from '../testing/test-app.js';
import { MAX_ADAPTER_METRICS, MAX_DEVICE_SERIES } from './create-metrics.js';

/** A miner whose sample carries whatever `metrics` and `devices` its options say. */
const readingsMiner = defineAdapter({
  apiVersion: 1,
  kind: 'readings',
  meta: { name: 'readings-miner', version: '1.0.0', core: '*' },
  options: z.object({
    metrics: z.record(z.string(), z.number()).default({}),
    devices: z.number().int().nonnegative().default(0),
  }),
  runner: () => ({ start: async () => {}, stop: async () => {} }),
  probe: async () => ({ healthy: true, ready: true }),
  stats: async (options) => ({
    time: Date.now(),
    hashrate: undefined,
    metrics: options.metrics,
    devices: Array.from({ length: options.devices }, (_, i) => ({
      id: `worker-${i}`,
      hashrate: i,
    })),
  }),
});

async function appWithMiner(id: string, options: Record<string, unknown>) {
  const { app, auth, manager } = await testApp();
  manager.adapters.register(readingsMiner);
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/miners',
    headers: auth,
    payload: { kind: 'readings', name: id, id, options },
  });
  expect(created.statusCode).toBe(201);
  await manager.get(id).start();
  await manager.get(id).sample();
  const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body;
  return { app, auth, manager, scrape };
}

const series = (text: string, family: string) =>
  text.split('\n').filter((line) => line.startsWith(`${family}{`));

describe('adapter metrics (Sample.metrics)', () => {
  it('exports each reading as rigkit_miner_adapter_metric{miner,name} and deletes them with the miner', async () => {
    const { app, auth, scrape } = await appWithMiner('p1', {
      metrics: { proxy_miners: 3, proxy_upstreams_active: 1, proxy_on_primary: 1 },
    });
    const text = await scrape();
    expect(text).toContain('# TYPE rigkit_miner_adapter_metric gauge');
    expect(series(text, 'rigkit_miner_adapter_metric').sort()).toEqual([
      'rigkit_miner_adapter_metric{miner="p1",name="proxy_miners"} 3',
      'rigkit_miner_adapter_metric{miner="p1",name="proxy_on_primary"} 1',
      'rigkit_miner_adapter_metric{miner="p1",name="proxy_upstreams_active"} 1',
    ]);
    // The API shows the same readings in the miner's last sample.
    const miner = (await app.inject({ method: 'GET', url: '/api/v1/miners/p1' })).json();
    expect(miner.lastSample.metrics).toEqual({
      proxy_miners: 3,
      proxy_upstreams_active: 1,
      proxy_on_primary: 1,
    });

    await app.inject({ method: 'POST', url: '/api/v1/miners/p1/stop', headers: auth });
    expect(series(await scrape(), 'rigkit_miner_adapter_metric')).toEqual([]);
    await app.inject({ method: 'DELETE', url: '/api/v1/miners/p1', headers: auth });
    expect(await scrape()).not.toContain('miner="p1"');
  });

  it('stays bounded: names that are not snake_case are skipped, at most MAX_ADAPTER_METRICS per miner', async () => {
    const many = Object.fromEntries(
      Array.from({ length: MAX_ADAPTER_METRICS + 40 }, (_, i) => [`reading_${i}`, i]),
    );
    const { scrape } = await appWithMiner('p2', {
      metrics: { 'Bad Name': 1, 'worker="x"': 2, ...many },
    });
    const lines = series(await scrape(), 'rigkit_miner_adapter_metric');
    expect(lines).toHaveLength(MAX_ADAPTER_METRICS);
    expect(lines.join('\n')).not.toMatch(/Bad Name|worker=/);
  });

  it('caps device rows (a proxy’s workers) per miner', async () => {
    const { scrape } = await appWithMiner('p3', { devices: MAX_DEVICE_SERIES + 50 });
    const lines = series(await scrape(), 'rigkit_device_hashrate_hashes_per_second');
    expect(lines).toHaveLength(MAX_DEVICE_SERIES);
    expect(lines[0]).toBe(
      'rigkit_device_hashrate_hashes_per_second{miner="p3",device="worker-0"} 0',
    );
  });
});
