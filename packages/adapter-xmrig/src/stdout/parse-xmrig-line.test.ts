import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixtureNames, fixtureText } from '../test-support/fixtures.js';
import { parseXmrigLine } from './parse-xmrig-line.js';

function events(name: string) {
  return fixtureText(name)
    .split('\n')
    .map((line) => parseXmrigLine(line))
    .filter((event) => event !== undefined);
}

describe('parseXmrigLine over the captured stdout fixtures', () => {
  it('parses every stdout fixture without throwing and ignores the banner', () => {
    const stdoutFixtures = fixtureNames().filter((n) => n.startsWith('stdout'));
    expect(stdoutFixtures).toHaveLength(5);
    for (const name of stdoutFixtures) {
      for (const line of fixtureText(name).split('\n')) {
        const event = parseXmrigLine(line);
        if (line.startsWith(' * ') || line.startsWith('  ')) expect(event).toBeUndefined();
      }
    }
  });

  it('stdout-pool-job-mode.txt: pool, jobs, READY, shares with latency and reason, speed, exit', () => {
    const all = events('stdout-pool-job-mode.txt');
    expect(all.map((e) => e.type)).toEqual([
      'pool.connected',
      'job',
      'error', // msr: FAILED TO APPLY MSR MOD
      'error', // randomx: failed to allocate RandomX dataset
      'ready',
      'share.accepted',
      'share.accepted',
      'speed',
      'share.rejected',
      'share.accepted',
      'job',
      'share.accepted',
      'share.rejected',
      'speed',
      'share.accepted',
      'speed',
      'exiting',
    ]);
    expect(all[0]).toEqual({
      type: 'pool.connected',
      level: 'info',
      data: { pool: '127.0.0.1:13333', ip: '127.0.0.1', tls: undefined, mode: 'pool' },
    });
    expect(all[1]).toEqual({
      type: 'job',
      level: 'info',
      data: { pool: '127.0.0.1:13333', diff: 100, algo: 'rx/0', height: 3_000_001 },
    });
    expect(all[4]?.data).toEqual({
      backend: 'cpu',
      threads: 1,
      threadsTotal: 1,
      hugePagesPercent: 0,
      memoryKB: 2048,
      ms: 1,
    });
    expect(all[5]).toEqual({
      type: 'share.accepted',
      level: 'info',
      data: { accepted: 1, rejected: 0, diff: 100, latencyMs: 5, backend: 'cpu' },
    });
    expect(all[7]?.data).toEqual({
      h10: undefined,
      h60: undefined,
      h15m: undefined,
      max: undefined,
    });
    expect(all[8]).toEqual({
      type: 'share.rejected',
      level: 'warn',
      data: {
        accepted: 2,
        rejected: 1,
        diff: 100,
        reason: 'Low difficulty share',
        latencyMs: 2,
        backend: 'cpu',
      },
    });
    expect(all[13]?.data).toEqual({ h10: 17.17, h60: undefined, h15m: undefined, max: 20.25 });
    expect(all[16]).toEqual({ type: 'exiting', level: 'info', data: { signal: 'SIGTERM' } });
  });

  it('stdout-pool-login-error.txt: login rejected is a pool error, end of file a disconnect', () => {
    expect(events('stdout-pool-login-error.txt')).toEqual([
      {
        type: 'pool.error',
        level: 'error',
        data: {
          pool: '127.0.0.1:13333',
          message: 'test pool: login rejected',
          code: -1,
          kind: undefined,
        },
      },
      {
        type: 'pool.disconnected',
        level: 'warn',
        data: { pool: '127.0.0.1:13333', reason: 'end of file', kind: 'read' },
      },
      { type: 'exiting', level: 'info', data: { signal: 'SIGTERM' } },
    ]);
  });

  it('stdout-api-token.txt: HTTP errors from the access log, pause and resume', () => {
    const all = events('stdout-api-token.txt');
    const http = all.filter((e) => e.type === 'http.error');
    expect(http.map((e) => e.data?.status)).toEqual([401, 403, 415, 415, 405]);
    expect(http[0]).toEqual({
      type: 'http.error',
      level: 'warn',
      data: {
        ip: '127.0.0.1',
        method: 'GET',
        path: '/2/summary',
        status: 401,
        bytes: 295,
        ms: 1,
        userAgent: 'curl/7.88.1',
      },
    });
    expect(all.map((e) => e.type)).toEqual([
      'error',
      'error',
      'ready',
      'http.error',
      'http.error',
      'http.error',
      'paused',
      'resumed',
      'http.error',
      'http.error',
      'exiting',
    ]);
  });

  it('stdout.txt: bench speeds with n/a windows, and 404/403/401 access-log lines', () => {
    const all = events('stdout.txt');
    const speeds = all.filter((e) => e.type === 'speed').map((e) => e.data);
    expect(speeds).toHaveLength(10);
    expect(speeds[0]).toEqual({ h10: undefined, h60: undefined, h15m: undefined, max: undefined });
    expect(speeds[1]).toEqual({ h10: 23.02, h60: undefined, h15m: undefined, max: 23.02 });
    expect(speeds[6]).toEqual({ h10: 10.19, h60: 20.66, h15m: undefined, max: 24.07 });
    const statuses = all.filter((e) => e.type === 'http.error').map((e) => e.data?.status);
    expect(statuses).toEqual([
      404, 404, 404, 404, 403, 403, 403, 403, 404, 404, 404, 404, 404, 404, 401, 403, 403,
    ]);
    expect(all.filter((e) => e.type === 'ready')).toHaveLength(1);
    expect(all.at(-1)?.type).toBe('exiting');
  });

  it('stdout-bench-250K-fast.txt: two threads READY and speeds in H/s', () => {
    const all = events('stdout-bench-250K-fast.txt');
    expect(all.find((e) => e.type === 'ready')?.data).toMatchObject({
      threads: 2,
      threadsTotal: 2,
      hugePagesPercent: 100,
      memoryKB: 4096,
      ms: 25,
    });
    expect(all.filter((e) => e.type === 'speed').map((e) => e.data)).toEqual([
      { h10: 320.5, h60: undefined, h15m: undefined, max: 333.3 },
      { h10: 272.4, h60: 263.4, h15m: undefined, max: 333.3 },
      { h10: 240.3, h60: 274.1, h15m: undefined, max: 341.4 },
    ]);
  });
});

describe('parseXmrigLine details', () => {
  it('strips colour codes first (xmrig colours output unless --no-color)', () => {
    const coloured =
      '\u001b[1;30m[2026-11-25 00:04:40.718]\u001b[0m \u001b[1;44;37m cpu     \u001b[0m ' +
      '\u001b[1;32maccepted\u001b[0m (1/0) diff \u001b[1;37m100\u001b[0m \u001b[1;30m(5 ms)\u001b[0m';
    expect(parseXmrigLine(coloured)).toEqual({
      type: 'share.accepted',
      level: 'info',
      data: { accepted: 1, rejected: 0, diff: 100, latencyMs: 5, backend: 'cpu' },
    });
  });

  it('reads TLS pools, kH/s and MH/s, and large difficulties', () => {
    expect(
      parseXmrigLine(
        '[2026-01-01 00:00:00.000]  net      use pool pool.example:443 TLSv1.3 1.2.3.4',
      )?.data,
    ).toEqual({ pool: 'pool.example:443', ip: '1.2.3.4', tls: 'TLSv1.3', mode: 'pool' });
    expect(
      parseXmrigLine(
        '[2026-01-01 00:00:00.000]  miner    speed 10s/60s/15m 1.5 1.25 n/a kH/s max 2.5 MH/s',
      )?.data,
    ).toEqual({ h10: 1500, h60: 1250, h15m: undefined, max: 2_500_000 });
    expect(
      parseXmrigLine(
        '[2026-01-01 00:00:00.000]  net      new job from p:3333 diff 480045 algo rx/0 height 3358519 (28 tx)',
      )?.data,
    ).toEqual({ pool: 'p:3333', diff: 480_045, algo: 'rx/0', height: 3_358_519 });
    expect(
      parseXmrigLine('[2026-01-01 00:00:00.000]  net      new job from p:3333 diff 1.2M algo rx/0')
        ?.data,
    ).toEqual({ pool: 'p:3333', diff: 1_200_000, algo: 'rx/0', height: undefined });
  });

  it('maps connect errors to pool.error and read errors to pool.disconnected', () => {
    expect(
      parseXmrigLine(
        '[2026-01-01 00:00:00.000]  net      p:3333 connect error: "connection refused"',
      ),
    ).toMatchObject({
      type: 'pool.error',
      data: { kind: 'connect', message: 'connection refused' },
    });
    expect(
      parseXmrigLine('[2026-01-01 00:00:00.000]  net      no active pools, stop mining'),
    ).toMatchObject({ type: 'pool.disconnected' });
  });

  it('reports a config file xmrig cannot use as an error', () => {
    for (const message of [
      'unable to open "/data/xmrig-1.json".',
      '/data/xmrig-1.json<offset:12>: "Missing a name for object member."',
    ]) {
      expect(parseXmrigLine(`[2026-01-01 00:00:00.000]  config   ${message}`)).toEqual({
        type: 'error',
        level: 'warn',
        data: { tag: 'config', message },
      });
    }
  });

  it('returns undefined for lines without meaning, unknown units and 2xx access lines', () => {
    for (const line of [
      '',
      'garbage',
      ' * POOL #1      benchmark algo auto',
      '[2026-11-25 00:00:16.256]  randomx  dataset ready (332 ms)',
      '[2026-11-25 00:00:26.272]  bench     0.02% 223/1000000 (10.015s)',
      '[2026-01-01 00:00:00.000]  miner    speed 10s/60s/15m 1 2 3 PH/s max 4 PH/s',
      '[2026-01-01 00:00:00.000] 127.0.0.1 GET /2/summary 200 2000 1ms "node"',
      'x'.repeat(10_000),
    ]) {
      expect(parseXmrigLine(line)).toBeUndefined();
    }
  });

  it('never throws, whatever the line', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (tail) => {
        parseXmrigLine(tail);
        parseXmrigLine(`[2026-01-01 00:00:00.000]  net      ${tail}`);
        parseXmrigLine(`[2026-01-01 00:00:00.000]  cpu      accepted (${tail}`);
      }),
      { numRuns: 300 },
    );
  });
});
