import { type ProxyStats, parseProxyOptions } from '@rigkit/adapter-stratum-proxy';
import { describe, expect, it } from 'vitest';
import { eventLine, startupLine, statsLine } from './proxy-report.js';

const options = parseProxyOptions({
  protocol: 'cryptonote',
  listen: { host: '0.0.0.0', port: 3333 },
  pools: [
    { url: 'pool.example.org:3333', user: 'WALLET-SENTINEL', pass: 'PASS-SENTINEL' },
    { url: 'stratum+ssl://backup.example.org:443', user: 'WALLET-SENTINEL' },
  ],
});

const stats: ProxyStats = {
  protocol: 'cryptonote',
  mode: 'aggregate',
  listening: { host: '0.0.0.0', port: 3333 },
  startedAt: 1,
  pool: 'stratum+tcp://pool.example.org:3333',
  onPrimary: true,
  miners: { now: 3, max: 4, refused: { global: 0, perIp: 2 } },
  upstreams: { active: 1, total: 1, list: [] },
  shares: { accepted: 10, rejected: 1, invalid: 0, stale: 2 },
  hashrate: { '1m': 4100, '10m': 3900, '1h': 0 },
  workers: { known: 3, online: 3, folded: 0 },
  bytes: { downstreamIn: 1, downstreamOut: 2, upstreamIn: 3, upstreamOut: 4 },
  closed: {},
};

describe('proxy report lines', () => {
  it('start with the address, mode and pools, never logins or passwords', () => {
    const human = startupLine(options, stats, false);
    expect(human).toBe(
      'stratum proxy listening on 0.0.0.0:3333 · cryptonote aggregate · pool pool.example.org:3333 (then stratum+ssl://backup.example.org:443)',
    );
    const json = JSON.parse(startupLine(options, stats, true));
    expect(json).toMatchObject({
      type: 'listening',
      host: '0.0.0.0',
      port: 3333,
      protocol: 'cryptonote',
      mode: 'aggregate',
      pools: ['pool.example.org:3333', 'stratum+ssl://backup.example.org:443'],
    });
    for (const line of [human, JSON.stringify(json)]) expect(line).not.toMatch(/SENTINEL/);
  });

  it('summarise miners, upstreams, shares and hashrate', () => {
    expect(statsLine(stats, false)).toBe(
      'miners 3 (max 4, 2 refused) · upstreams 1/1 · shares 10 ok 1 rejected 0 invalid 2 stale · hashrate 4.10 kH/s (1m) 3.90 kH/s (10m)',
    );
    expect(JSON.parse(statsLine(stats, true, 42))).toEqual({
      type: 'stats',
      time: 42,
      miners: { now: 3, max: 4, refused: { global: 0, perIp: 2 } },
      upstreams: { active: 1, total: 1 },
      pool: 'stratum+tcp://pool.example.org:3333',
      onPrimary: true,
      shares: stats.shares,
      hashrate: stats.hashrate,
      workers: stats.workers,
      bytes: stats.bytes,
    });
  });

  it('print events on one line each, with control characters from worker names defused', () => {
    const payload = { worker: 'rig\u001b[31m-1\n', address: '10.0.0.7', connectionId: 7 };
    expect(eventLine('proxy.worker.connected', payload, false)).toBe(
      'worker rig?[31m-1? connected from 10.0.0.7 (#7)',
    );
    expect(
      eventLine(
        'proxy.upstream.failover',
        { from: 'stratum+tcp://a:1', to: 'stratum+tcp://b:2', reason: 'primary' },
        false,
      ),
    ).toBe('failover stratum+tcp://a:1 → stratum+tcp://b:2 (primary is back)');
    const json = eventLine('proxy.worker.connected', payload, true, 5);
    expect(json).not.toContain('\n');
    expect(JSON.parse(json)).toEqual({
      type: 'event',
      event: 'proxy.worker.connected',
      time: 5,
      data: payload,
    });
  });
});
