import { describe, expect, it } from 'vitest';
import { xmrigOptionsSchema } from '../options/xmrig-options.js';
import { fixtureJson } from '../test-support/fixtures.js';
import { toXmrigConfig } from './to-xmrig-config.js';

const api = { host: '127.0.0.1', port: 18_083, token: 'tok' } as const;

describe('toXmrigConfig', () => {
  it("uses the key names of xmrig's own config (2_config.json)", () => {
    const real = fixtureJson('2_config.json') as Record<string, Record<string, unknown>>;
    const config = toXmrigConfig(
      xmrigOptionsSchema.parse({
        pools: [{ url: 'p:1', user: 'w' }],
        threads: 1,
        cpuPriority: 2,
        hugePages: false,
      }),
      api,
    );
    expect(Object.keys(config.http).sort()).toEqual(Object.keys(real.http ?? {}).sort());
    for (const key of ['autosave', 'background', 'colors', 'watch', 'syslog', 'log-file']) {
      expect(real).toHaveProperty(key);
    }
    expect(config.cpu).toEqual({
      enabled: true,
      'huge-pages': false,
      priority: 2,
      '*': real.cpu?.['*'],
    });
    expect(config.http).toEqual({
      enabled: true,
      host: '127.0.0.1',
      port: 18_083,
      'access-token': 'tok',
      restricted: true,
    });
    expect(config.autosave).toBe(false);
    expect(config.watch).toBe(false);
  });

  it('writes pools in order with xmrig key names and the donate level as given', () => {
    const config = toXmrigConfig(
      xmrigOptionsSchema.parse({
        pools: [
          {
            url: 'stratum+ssl://a:443',
            user: 'w1',
            pass: 'p1',
            rigId: 'r',
            keepalive: true,
            coin: 'monero',
          },
          { url: 'b:3333', user: 'w2', nicehash: true, tls: false, algo: 'rx/0' },
        ],
        cpuMaxThreadsHint: 75,
        donateLevel: 0,
      }),
      api,
    );
    expect(config['donate-level']).toBe(0);
    expect(config.cpu).toEqual({ enabled: true, 'huge-pages': true, 'max-threads-hint': 75 });
    expect(config.pools).toEqual([
      {
        url: 'stratum+ssl://a:443',
        user: 'w1',
        pass: 'p1',
        'rig-id': 'r',
        keepalive: true,
        coin: 'monero',
        enabled: true,
      },
      { url: 'b:3333', user: 'w2', nicehash: true, tls: false, algo: 'rx/0', enabled: true },
    ]);
  });
});
