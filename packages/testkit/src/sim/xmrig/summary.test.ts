import { describe, expect, it } from 'vitest';
import { buildBackends } from './backends.js';
import { HashrateModel } from './hashrate-model.js';
import { toXmrigJson } from './json-text.js';
import type { MinerSnapshot } from './miner-snapshot.js';
import { NetworkState, NO_DIFFICULTY } from './network-state.js';
import { buildSummary } from './summary.js';
import { keyShape, readFixture } from './testing/read-fixture.js';
import { buildConfigJson } from './xmrig-config-json.js';
import { defaultSimOptions } from './xmrig-sim-options.js';

const fixture = (name: string) => JSON.parse(readFixture(`xmrig/${name}`));
const shapeOf = (doc: unknown) => keyShape(JSON.parse(toXmrigJson(doc as never)));

function snapshot(running: boolean, network = new NetworkState()): MinerSnapshot {
  const model = new HashrateModel({ seed: 1, hashrate: 22, threads: 1 });
  model.advanceTo(60.3);
  return {
    id: 'ab202c851dad9acc',
    workerId: 'vm',
    uptimeS: 60,
    nowMs: 60_336,
    restricted: true,
    algo: running ? 'rx/0' : null,
    donateLevel: 0,
    paused: false,
    backend: running
      ? {
          reading: model.read(60.3),
          highest: model.highest(),
          threads: 1,
          priority: 2,
          hugePages: [129, 129],
          memory: 2097152,
        }
      : null,
    network,
    resources: { free: 1, total: 2, rss: 3, loadAverage: [1.39, 1.89, 1.0] },
  };
}

function benchNetwork(): NetworkState {
  const network = new NetworkState();
  network.setActive('benchmark:3333', null, null, null, 0);
  network.setJob(NO_DIFFICULTY, 'rx/0');
  return network;
}

describe('summary and backends JSON', () => {
  it('has the keys of 2_summary.json and 1_summary.json, in order', () => {
    expect(shapeOf(buildSummary(snapshot(true, benchNetwork()), 2))).toEqual(
      keyShape(fixture('2_summary.json')),
    );
    expect(shapeOf(buildSummary(snapshot(true, benchNetwork()), 1))).toEqual(
      keyShape(fixture('1_summary.json')),
    );
  });

  it('writes UINT64_MAX as its digits, and the benchmark values of the fixture', () => {
    const text = toXmrigJson(buildSummary(snapshot(true, benchNetwork()), 2));
    expect(text).toContain('"diff_current": 18446744073709551615,');
    expect(text).toContain('"diff": 18446744073709551615,');
    const doc = JSON.parse(text);
    expect(doc.connection).toMatchObject({
      pool: 'benchmark:3333',
      ip: null,
      uptime: 60,
      uptime_ms: 60_336,
      algo: 'rx/0',
    });
    // 60.3 s after the start: the 10 s window has a value, the 60 s one not yet.
    expect(doc.hashrate.total[0]).toBeGreaterThan(0);
    expect(doc.hashrate.total.slice(1)).toEqual([null, null]);
  });

  it('looks like 2_summary_no_pool.json before the backend runs', () => {
    const text = toXmrigJson(buildSummary(snapshot(false), 2));
    expect(keyShape(JSON.parse(text))).toEqual(keyShape(fixture('2_summary_no_pool.json')));
    expect(text).toContain('"total": [0.0, 0.0, 0.0],');
    expect(text).toContain('"diff_current": 0,');
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({
      algo: null,
      connection: { pool: '', algo: null },
      hashrate: { highest: null },
      hugepages: [0, 0],
    });
  });

  it('counts shares like 2_summary_pool_job_mode.json', () => {
    const network = new NetworkState();
    network.setActive('127.0.0.1:13333', '127.0.0.1', null, null, 0);
    network.setJob(100n, 'rx/0');
    for (const [ok, actual, ms] of [
      [true, 1675n, 5],
      [true, 608n, 1],
      [false, 50n, 2],
      [true, 237n, 2],
      [true, 154n, 2],
      [false, 70n, 11],
      [true, 104n, 5],
    ] as const) {
      network.addResult(ok, 100n, actual, ms);
    }
    const doc = JSON.parse(
      toXmrigJson(buildSummary({ ...snapshot(true, network), nowMs: 35_017 }, 2)),
    );
    const expected = fixture('2_summary_pool_job_mode.json');
    expect(keyShape(doc)).toEqual(keyShape(expected));
    expect(doc.results).toEqual(expected.results);
    const { uptime, uptime_ms, ...connection } = doc.connection;
    const { uptime: _u, uptime_ms: _m, ...expectedConnection } = expected.connection;
    expect(connection).toEqual(expectedConnection);
    expect([uptime, uptime_ms]).toEqual([35, 35_017]);
  });

  it('has the keys of 2_backends.json, or of 2_backends_no_pool.json before the backend runs', () => {
    expect(shapeOf(buildBackends(snapshot(true)))).toEqual(keyShape(fixture('2_backends.json')));
    expect(shapeOf(buildBackends(snapshot(false)))).toEqual(
      keyShape(fixture('2_backends_no_pool.json')),
    );
  });

  it('has the keys of 2_config.json in benchmark mode, and pools instead of benchmark otherwise', () => {
    const bench = {
      ...defaultSimOptions(),
      bench: { size: 1e6, label: '1M', algo: 'rx/0', implicit: false },
    };
    expect(shapeOf(buildConfigJson(bench))).toEqual(keyShape(fixture('2_config.json')));
    const pool = defaultSimOptions();
    pool.pools = [
      {
        url: 'a:1',
        host: 'a',
        port: 1,
        tls: false,
        user: 'u',
        pass: 'x',
        rigId: null,
        algo: null,
        coin: null,
        keepalive: false,
        nicehash: false,
        tlsFingerprint: null,
      },
    ];
    const keys = Object.keys(JSON.parse(toXmrigJson(buildConfigJson(pool))));
    expect(keys).toContain('pools');
    expect(keys).not.toContain('benchmark');
  });
});
