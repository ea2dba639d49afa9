import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startXmrigSimulator, type XmrigSimulatorProcess } from './start-xmrig-simulator.js';
import { CryptonoteTestPool, FIXTURE_JOB, type PoolJob } from './testing/cryptonote-test-pool.js';
import { expectKnownLines } from './testing/expect-known-lines.js';
import { readFixture } from './testing/read-fixture.js';
import { mustRequest } from './testing/request-api.js';
import { TEST_POOL_TLS } from './testing/tls-test-cert.js';

const running: Array<XmrigSimulatorProcess | CryptonoteTestPool> = [];
const track = <T extends XmrigSimulatorProcess | CryptonoteTestPool>(thing: T): T => {
  running.push(thing);
  return thing;
};

afterEach(async () => {
  await Promise.all(
    running
      .splice(0)
      .map((thing) =>
        thing instanceof CryptonoteTestPool ? thing.close() : thing.stop({ timeoutMs: 2000 }),
      ),
  );
});

/** Target for difficulty 1000: `UINT32_MAX / 1000` as 4 little-endian bytes. */
const TARGET_1000 = (() => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(Math.floor(0xffff_ffff / 1000));
  return buffer.toString('hex');
})();

/** The fixture job with blob byte 42 (the NiceHash byte) set to 0x5a by the pool. */
function nicehashJob(jobId: string, target = TARGET_1000): PoolJob {
  const blob = Buffer.from(FIXTURE_JOB.blob, 'hex');
  blob[42] = 0x5a;
  return { ...FIXTURE_JOB, blob: blob.toString('hex'), job_id: jobId, target };
}

async function freePortWithoutListener(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const loginFixture = readFixture('stratum/cryptonote-xmrig-client-job-mode.jsonl').split(
  '\n',
)[0] as string;

describe('stratum client (against an in-test CryptoNote pool)', () => {
  it('logs in exactly like xmrig, mines the login job and submits shares of it', async () => {
    const pool = track(await CryptonoteTestPool.start({ job: nicehashJob('job1') }));
    const sim = track(
      await startXmrigSimulator([
        '-o',
        pool.url,
        '-u',
        'test',
        '-p',
        'x',
        '--rig-id',
        'rig1',
        '--no-color',
        '--sim-seed',
        '3',
        '--sim-hashrate',
        '5000',
        '--sim-time-scale',
        '5',
      ]),
    );
    const login = await pool.waitFor((m) => m.json?.method === 'login');
    expect(login.raw).toBe(loginFixture);
    await sim.waitForLine(new RegExp(`net      use pool ${pool.url}  127\\.0\\.0\\.1$`), {
      since: 'start',
    });
    await sim.waitForLine(/net {6}new job from \S+ diff 1000 algo rx\/0 height 3100000$/, {
      since: 'start',
    });
    await sim.waitForLine(/cpu {6}READY threads 2\/2 \(2\)/, { since: 'start' });
    await sim.waitForLine(/cpu {6}accepted \(1\/0\) diff 1000 \(\d+ ms\)$/, { since: 'start' });
    const submit = await pool.waitFor((m) => m.json?.method === 'submit');
    expect(Object.keys(submit.json.params)).toEqual(['id', 'job_id', 'nonce', 'result', 'algo']);
    expect(submit.json).toMatchObject({
      id: 2,
      jsonrpc: '2.0',
      params: { id: 'session-1', job_id: 'job1', algo: 'rx/0' },
    });
    expect(submit.json.params.nonce).toMatch(/^[0-9a-f]{8}$/);
    expect(submit.json.params.result).toMatch(/^[0-9a-f]{64}$/);
    expectKnownLines(sim.lines);
  });

  it('keeps the NiceHash byte, follows new jobs, and finds shares at hashrate / difficulty', async () => {
    const pool = track(await CryptonoteTestPool.start({ job: nicehashJob('job1') }));
    // 12000 H/s at difficulty 1000 is 12 shares per simulated second; ×5 time scale: 60 a second.
    const sim = track(
      await startXmrigSimulator([
        '-o',
        pool.url,
        '--no-color',
        '--sim-seed',
        '11',
        '--sim-hashrate',
        '12000',
        '--sim-time-scale',
        '5',
      ]),
    );
    const first = await pool.waitFor((m) => m.json?.method === 'submit');
    const windowMs = 1000;
    await pool.waitFor((m) => m.at >= first.at + windowMs, windowMs + 5000).catch(() => undefined);
    const inWindow = pool
      .byMethod('submit')
      .filter((m) => m.at >= first.at && m.at < first.at + windowMs);
    // Poisson with mean 60 (sd 7.7): well inside [30, 95] unless the rate is wrong.
    expect(inWindow.length).toBeGreaterThan(30);
    expect(inWindow.length).toBeLessThan(95);
    for (const message of pool.byMethod('submit')) {
      expect(message.json.params.nonce.slice(6)).toBe('5a');
    }

    const switched = sim.waitForLine(/new job from \S+ diff 1000 algo rx\/0 height 3100001$/);
    pool.pushJob({ ...nicehashJob('job2'), height: 3100001 });
    await switched;
    const firstOfJob2 = await pool.waitFor((m) => m.json?.params?.job_id === 'job2');
    const later = pool.byMethod('submit').filter((m) => m.at > firstOfJob2.at);
    expect(later.every((m) => m.json.params.job_id === 'job2')).toBe(true);

    const summary = JSON.parse((await mustRequest(`${sim.apiUrl}/2/summary`)).body);
    expect(summary.results.diff_current).toBe(1000);
    expect(summary.connection).toMatchObject({
      pool: pool.url,
      ip: '127.0.0.1',
      algo: 'rx/0',
      diff: 1000,
    });
    expect(summary.results.shares_good).toBeGreaterThan(0);
    expect(summary.results.hashes_total).toBe(summary.results.shares_good * 1000);
  });

  it('does not keep nonce byte 3 when the pool has no NiceHash extension', async () => {
    const pool = track(
      await CryptonoteTestPool.start({
        job: nicehashJob('job1'),
        extensions: ['algo', 'keepalive'],
      }),
    );
    track(
      await startXmrigSimulator([
        '-o',
        pool.url,
        '--no-color',
        '--sim-hashrate',
        '5000',
        '--sim-time-scale',
        '5',
      ]),
    );
    await pool.waitFor((m) => pool.byMethod('submit').length >= 5 && m.json?.method === 'submit');
    expect(pool.byMethod('submit').some((m) => m.json.params.nonce.slice(6) !== '5a')).toBe(true);
  });

  it('counts what the pool says: bad results are rejected with its reason', async () => {
    const pool = track(await CryptonoteTestPool.start({ job: nicehashJob('job1') }));
    const sim = track(
      await startXmrigSimulator([
        '-o',
        pool.url,
        '--no-color',
        '--sim-seed',
        '5',
        '--sim-hashrate',
        '5000',
        '--sim-time-scale',
        '5',
        '--sim-reject-rate',
        '0.5',
      ]),
    );
    await sim.waitForLine(
      /cpu {6}rejected \(\d+\/1\) diff 1000 "Low difficulty share" \(\d+ ms\)$/,
      { since: 'start' },
    );
    const accepted = await sim.waitForLine(/cpu {6}accepted \((\d+)\/(\d+)\)/, { since: 'start' });
    expect(accepted).toMatch(/accepted \(\d+\/\d+\) diff 1000 \(\d+ ms\)$/);
  });

  it('sends keepalived with -k after a minute of silence, with the session id', async () => {
    const pool = track(await CryptonoteTestPool.start());
    track(
      await startXmrigSimulator([
        '-o',
        pool.url,
        '-k',
        '--no-color',
        '--sim-hashrate',
        '0',
        '--sim-time-scale',
        '200',
      ]),
    );
    const keepalive = await pool.waitFor((m) => m.json?.method === 'keepalived');
    expect(keepalive.json).toEqual({
      id: 2,
      jsonrpc: '2.0',
      method: 'keepalived',
      params: { id: 'session-1' },
    });
  });

  it('prints the pool error on a failed login and logs in again after the retry pause', async () => {
    const pool = track(
      await CryptonoteTestPool.start({
        loginError: { code: -1, message: 'Invalid payment address provided' },
      }),
    );
    const sim = track(
      await startXmrigSimulator(['-o', pool.url, '--no-color', '--sim-time-scale', '10']),
    );
    await sim.waitForLine(
      new RegExp(`net      ${pool.url} error: "Invalid payment address provided", code: -1$`),
      { since: 'start' },
    );
    await pool.waitFor(() => pool.byMethod('login').length >= 2);
    expect(pool.connections).toBeGreaterThanOrEqual(2);
    const summary = JSON.parse((await mustRequest(`${sim.apiUrl}/2/summary`)).body);
    expect(summary).toMatchObject({
      algo: null,
      connection: { pool: '' },
      results: { diff_current: 0 },
    });
  });

  it('speaks TLS with stratum+ssl://, reporting the version and the certificate fingerprint', async () => {
    const pool = track(await CryptonoteTestPool.start({ tls: TEST_POOL_TLS }));
    const sim = track(
      await startXmrigSimulator([
        '-o',
        `stratum+ssl://${pool.url}`,
        '--no-color',
        '--sim-hashrate',
        '5000',
        '--sim-time-scale',
        '5',
      ]),
    );
    await sim.waitForLine(
      new RegExp(`net      use pool ${pool.url} TLSv1\\.[23] 127\\.0\\.0\\.1$`),
      { since: 'start' },
    );
    await sim.waitForLine(
      new RegExp(`net      fingerprint \\(SHA-256\\): "${TEST_POOL_TLS.fingerprint}"$`),
      {
        since: 'start',
      },
    );
    await pool.waitFor((m) => m.json?.method === 'submit');
    const summary = JSON.parse((await mustRequest(`${sim.apiUrl}/2/summary`)).body);
    expect(summary.connection.tls).toMatch(/^TLSv1\.[23]$/);
    expect(summary.connection['tls-fingerprint']).toBe(TEST_POOL_TLS.fingerprint);

    const pinned = track(
      await startXmrigSimulator([
        '-o',
        pool.url,
        '--tls',
        '--tls-fingerprint',
        'ab'.repeat(32),
        '--no-color',
      ]),
    );
    await pinned.waitForLine(
      new RegExp(`net      ${pool.url} TLS error: "fingerprint mismatch"$`),
      { since: 'start' },
    );
    expectKnownLines([...sim.lines, ...pinned.lines]);
  });

  it('fails over to the next -o, and reconnects after the pool drops it', async () => {
    const dead = await freePortWithoutListener();
    const pool = track(await CryptonoteTestPool.start());
    const sim = track(
      await startXmrigSimulator([
        '-o',
        `127.0.0.1:${dead}`,
        '-o',
        pool.url,
        '--retries',
        '1',
        '--retry-pause',
        '1',
        '--no-color',
        '--sim-hashrate',
        '0',
        '--sim-time-scale',
        '10',
      ]),
    );
    await sim.waitForLine(
      new RegExp(`net      127\\.0\\.0\\.1:${dead} connect error: "connection refused"$`),
      {
        since: 'start',
      },
    );
    await sim.waitForLine(new RegExp(`net      use pool ${pool.url}  127\\.0\\.0\\.1$`), {
      since: 'start',
    });
    const dropped = sim.waitForLine(new RegExp(`net      ${pool.url} read error: "end of file"$`));
    const stopped = sim.waitForLine(/net {6}no active pools, stop mining$/);
    pool.dropConnections();
    await dropped;
    await stopped;
    // One failure on the backup: back to the (still dead) first pool, then to the backup again.
    await pool.waitFor(() => pool.byMethod('login').length >= 2, 10_000);
    expectKnownLines(sim.lines);
  });
});
