import { describe, expect, it } from 'vitest';
import { type ProxyOptionsInput, proxyOptionsSchema } from './proxy-options.js';

const SECRET = 'S3cr3t-pa55-word';

function issues(input: unknown): { path: string; message: string }[] {
  const result = proxyOptionsSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

const minimal: ProxyOptionsInput = {
  protocol: 'cryptonote',
  pools: [{ url: 'pool.example:3333', user: 'wallet' }],
};

describe('proxyOptionsSchema', () => {
  it('fills every default from a minimal config', () => {
    const options = proxyOptionsSchema.parse(minimal);
    expect(options).toEqual({
      protocol: 'cryptonote',
      mode: 'aggregate',
      listen: { host: '127.0.0.1', port: 0 },
      pools: [
        {
          url: 'pool.example:3333',
          user: 'wallet',
          pass: 'x',
          tlsRejectUnauthorized: true,
          keepalive: true,
        },
      ],
      limits: {
        maxConnections: 10_000,
        maxConnectionsPerIp: 1024,
        maxLineBytes: 16_384,
        loginTimeoutMs: 10_000,
        idleTimeoutMs: 600_000,
        maxWriteBufferBytes: 262_144,
        messagesPerSecond: 100,
        messageBurst: 500,
        maxWorkers: 10_000,
        workerTtlMs: 3_600_000,
        maxSharesPerJob: 100_000,
        upstreamRequestTimeoutMs: 10_000,
      },
      failover: {
        connectTimeoutMs: 10_000,
        initialBackoffMs: 1000,
        maxBackoffMs: 60_000,
        primaryRetryMs: 60_000,
      },
      aggregate: { extranoncePrefixBytes: 1, upstreamIdleMs: 30_000 },
      keepaliveMs: 60_000,
      metrics: { workerLabels: false },
    });
  });

  it('keeps given values and fills the rest of a partial object', () => {
    const options = proxyOptionsSchema.parse({
      ...minimal,
      protocol: 'stratum-v1',
      mode: 'passthrough',
      listen: { port: 3333 },
      pools: [{ url: 'stratum+ssl://[::1]:443', tls: false, name: 'main' }],
      limits: { maxLineBytes: 512 },
      aggregate: { extranoncePrefixBytes: 2 },
    });
    expect(options.listen).toEqual({ host: '127.0.0.1', port: 3333 });
    expect(options.limits.maxLineBytes).toBe(512);
    expect(options.limits.maxConnections).toBe(10_000);
    expect(options.aggregate.extranoncePrefixBytes).toBe(2);
    expect(options.pools[0]).toMatchObject({ tls: false, name: 'main' });
    expect(options.pools[0]?.user).toBeUndefined();
  });

  it('requires the protocol and at least one pool, at most 16', () => {
    expect(issues({ pools: minimal.pools }).map((i) => i.path)).toEqual(['protocol']);
    expect(issues({ protocol: 'cryptonote', pools: [] }).map((i) => i.path)).toEqual(['pools']);
    const many = Array.from({ length: 17 }, () => ({ url: 'a.b:1', user: 'u' }));
    expect(issues({ protocol: 'cryptonote', pools: many }).map((i) => i.path)).toEqual(['pools']);
  });

  it('requires user on every pool in aggregate mode only', () => {
    const pools = [{ url: 'a.b:1', user: 'u' }, { url: 'a.b:2' }];
    expect(issues({ protocol: 'cryptonote', pools })).toEqual([
      { path: 'pools.1.user', message: expect.stringContaining('aggregate') },
    ]);
    expect(issues({ protocol: 'cryptonote', mode: 'passthrough', pools })).toEqual([]);
  });

  it('reports unknown keys at every level by path', () => {
    const found = issues({
      ...minimal,
      colour: 1,
      listen: { prot: 1 },
      limits: { maxConnection: 1 },
      pools: [{ url: 'a.b:1', user: 'u', password: 'x' }],
      failover: { retry: 1 },
      aggregate: { bytes: 1 },
      metrics: { labels: true },
    });
    expect(found.map((i) => i.path).sort()).toEqual(
      ['', 'aggregate', 'failover', 'limits', 'listen', 'metrics', 'pools.0'].sort(),
    );
  });

  it.each([
    ['listen.port', { listen: { port: 65_536 } }],
    ['listen.port', { listen: { port: -1 } }],
    ['listen.host', { listen: { host: 'a b' } }],
    ['limits.maxLineBytes', { limits: { maxLineBytes: 511 } }],
    ['limits.maxLineBytes', { limits: { maxLineBytes: 1024 * 1024 + 1 } }],
    ['limits.maxWriteBufferBytes', { limits: { maxWriteBufferBytes: 4095 } }],
    ['limits.maxConnections', { limits: { maxConnections: 0 } }],
    ['limits.messagesPerSecond', { limits: { messagesPerSecond: 1.5 } }],
    ['limits.idleTimeoutMs', { limits: { idleTimeoutMs: 2 ** 31 } }],
    ['failover.maxBackoffMs', { failover: { initialBackoffMs: 5000, maxBackoffMs: 1000 } }],
    ['aggregate.extranoncePrefixBytes', { aggregate: { extranoncePrefixBytes: 3 } }],
    ['keepaliveMs', { keepaliveMs: 0 }],
    ['mode', { mode: 'pool' }],
    ['metrics.workerLabels', { metrics: { workerLabels: 'yes' } }],
  ])('refuses a bad %s', (path, patch) => {
    expect(issues({ ...minimal, ...patch }).map((i) => i.path)).toEqual([path]);
  });

  it.each([
    ['pools.0.url', { url: 'http://a.b:1', user: 'u' }],
    ['pools.0.url', { url: 'a.b', user: 'u' }],
    ['pools.0.user', { url: 'a.b:1', user: 'u'.repeat(513) }],
    ['pools.0.user', { url: 'a.b:1', user: 'bad\nuser' }],
    ['pools.0.pass', { url: 'a.b:1', user: 'u', pass: 'p'.repeat(257) }],
    ['pools.0.tls', { url: 'a.b:1', user: 'u', tls: 'yes' }],
  ])('refuses a bad %s', (path, entry) => {
    expect(issues({ ...minimal, pools: [entry] }).map((i) => i.path)).toEqual([path]);
  });

  it('never puts the pass (or credentials in a URL) into an issue', () => {
    const bad = [
      { url: 'a.b:1', user: 'u', pass: SECRET.repeat(20) },
      { url: 'a.b:1', user: 'u', pass: 12345 },
      { url: `stratum+tcp://u:${SECRET}@a.b:1`, user: 'u', pass: SECRET },
      { url: 'a.b:1', pass: SECRET, tls: SECRET },
    ];
    const result = proxyOptionsSchema.safeParse({ ...minimal, pools: bad });
    expect(result.success).toBe(false);
    expect(result.error?.issues.length).toBeGreaterThanOrEqual(4);
    const text = JSON.stringify(result.error?.issues) + String(result.error?.message);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('12345');
  });
});
