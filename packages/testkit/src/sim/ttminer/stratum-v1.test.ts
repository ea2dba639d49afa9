import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { V1 } from './testing/fixtures.js';
import { trackSimulators } from './testing/track.js';

const track = trackSimulators();

// biome-ignore lint/suspicious/noExplicitAny: JSON-RPC answers are read field by field.
const resultOf = async (sim: { getstat1(): Promise<unknown> }): Promise<any[]> =>
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  ((await sim.getstat1()) as any).result;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function deadPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Stratum V1 client (against an in-test pool speaking stratum-v1-examples.jsonl)', () => {
  it('subscribes, authorizes and mines like the fixture; submits at hashrate ÷ (diff × 2^32)', async () => {
    // Every third share is rejected with the fixture's [23, "Low difficulty share", null].
    const pool = await track.pool({ accept: (n) => n % 3 !== 0 });
    const sim = await track.sim([
      '-a',
      'SHA256D',
      '-P',
      `stratum+tcp://account.worker1:x@${pool.url}`,
      '--sim-seed',
      '3',
      '--sim-time-scale',
      '5',
    ]);
    const subscribe = await pool.waitForMessage((m) => m.json?.method === 'mining.subscribe');
    expect(Object.keys(subscribe.json)).toEqual(Object.keys(JSON.parse(V1.subscribeRequest)));
    expect(subscribe.json).toEqual({
      id: 1,
      method: 'mining.subscribe',
      params: ['TT-Miner/2024.3.2'],
    });
    // Byte for byte the fixture's lines: same ids, no "jsonrpc".
    const authorize = await pool.waitForMessage((m) => m.json?.method === 'mining.authorize');
    expect(authorize.raw).toBe(V1.authorizeRequest);
    const extranonce = await pool.waitForMessage(
      (m) => m.json?.method === 'mining.extranonce.subscribe',
    );
    expect(extranonce.raw).toBe(V1.extranonceSubscribeRequest);
    await sim.waitForLine(
      new RegExp(`^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} Connected to ${escapeRegExp(pool.url)}$`),
      {
        since: 'start',
      },
    );
    // The fixture's difficulty 1024: no share in a lifetime at 29 MH/s.
    await sim.waitForLine(
      new RegExp(
        `^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} New job from ${escapeRegExp(pool.url)} diff 1\\.02K$`,
      ),
      { since: 'start' },
    );
    expect(pool.byMethod('mining.submit')).toHaveLength(0);

    // 0.002: 29e6 / (0.002 × 2^32) ≈ 3.4 shares per simulated second, 17 a real second.
    const accepted = sim.waitForLine(
      /^\d{2}:\d{2}:\d{2}\.\d{3} GPU [01]: Share accepted \(\d+ ms\)$/,
    );
    const rejected = sim.waitForLine(
      /^\d{2}:\d{2}:\d{2}\.\d{3} GPU [01]: Share rejected: "Low difficulty share" \(\d+ ms\)$/,
    );
    pool.send({ id: null, method: 'mining.set_difficulty', params: [0.002] });
    const first = await pool.waitForMessage((m) => m.json?.method === 'mining.submit');
    await Promise.all([accepted, rejected]);
    const fixtureSubmit = JSON.parse(V1.submitRequest);
    expect(Object.keys(first.json)).toEqual(Object.keys(fixtureSubmit));
    expect(first.json.params).toHaveLength(fixtureSubmit.params.length);
    for (const submit of pool.byMethod('mining.submit')) {
      const [worker, jobId, extranonce2, ntime, nonce] = submit.json.params;
      expect(worker).toBe('account.worker1');
      expect(jobId).toBe('bf');
      expect(extranonce2).toMatch(/^[0-9a-f]{8}$/); // extranonce2_size 4
      expect(ntime).toBe('504e86b9');
      expect(nonce).toMatch(/^[0-9a-f]{8}$/);
      expect(submit.json.id).toBeGreaterThanOrEqual(4);
    }
    const windowMs = 1500;
    await pool
      .waitFor(() => performance.now() >= first.at + windowMs, windowMs + 2000)
      .catch(() => undefined);
    const inWindow = pool
      .byMethod('mining.submit')
      .filter((m) => m.at >= first.at && m.at < first.at + windowMs).length;
    // Poisson with mean ~25 (sd 5): far inside [8, 50] unless the rate is wrong.
    expect(inWindow).toBeGreaterThan(8);
    expect(inWindow).toBeLessThan(50);

    // The API counts what the pool said.
    const [, , totals, , , , , where] = await resultOf(sim);
    const [, acceptedCount, rejectedCount] = totals.split(';').map(Number);
    const printed = (word: string) =>
      sim.lines.filter((line) => line.includes(`Share ${word}`)).length;
    expect(acceptedCount).toBeGreaterThanOrEqual(printed('accepted'));
    expect(rejectedCount).toBeGreaterThanOrEqual(printed('rejected'));
    expect(acceptedCount).toBeGreaterThan(0);
    expect(rejectedCount).toBeGreaterThan(0);
    expect(where).toBe(pool.url);
  });

  it('follows new jobs and set_extranonce, and answers client.get_version', async () => {
    const pool = await track.pool({ difficulty: 0.002 });
    const sim = await track.sim(['-P', `w.rig@${pool.url}`, '--sim-time-scale', '5']);
    await pool.waitForMessage((m) => m.json?.method === 'mining.submit');

    const notify = JSON.parse(V1.notify);
    notify.params[0] = 'c0';
    notify.params[7] = '504e86ff';
    notify.params[8] = true;
    const newJob = sim.waitForLine(/ New job from \S+ diff 0\.002$/);
    pool.send({ id: null, method: 'mining.set_extranonce', params: ['aabbccdd', 2] });
    pool.send(notify);
    await newJob;
    const sent = pool.messages.length;
    const later = await pool.waitForMessage(
      (m) => pool.messages.indexOf(m) >= sent && m.json?.method === 'mining.submit',
    );
    expect(later.json.params[1]).toBe('c0');
    expect(later.json.params[2]).toMatch(/^[0-9a-f]{4}$/); // extranonce2_size 2 now
    expect(later.json.params[3]).toBe('504e86ff');

    pool.send({ id: 77, method: 'client.get_version', params: [] });
    const version = await pool.waitForMessage((m) => m.json?.id === 77 && !m.json.method);
    expect(version.json).toEqual({ id: 77, result: 'TT-Miner/2024.3.2', error: null });
  });

  it('moves to the pool client.reconnect names', async () => {
    const [first, second] = await Promise.all([track.pool(), track.pool()]);
    const sim = await track.sim(['-P', `w@${first.url}`, '--sim-time-scale', '5']);
    await sim.waitForLine(/ Connected to /, { since: 'start' });
    const connected = sim.waitForLine(new RegExp(` Connected to ${escapeRegExp(second.url)}$`));
    first.send({ id: null, method: 'client.reconnect', params: ['127.0.0.1', second.port, 0] });
    await connected;
    expect(
      sim.lines.some((line) =>
        line.endsWith(` Pool ${first.url} asks to reconnect to ${second.url}`),
      ),
    ).toBe(true);
    await first.waitFor(() => first.openConnections === 0);
    expect(second.byMethod('mining.subscribe')).toHaveLength(1);
    expect((await resultOf(sim))[7]).toBe(second.url);
  });

  it('fails over to the backup -P, counting the switch; a dropped pool is retried', async () => {
    const dead = await deadPort();
    const pool = await track.pool();
    const sim = await track.sim([
      '-P',
      `w@127.0.0.1:${dead}`,
      '-P',
      `stratum+tcp://w@${pool.url}`,
      '--sim-time-scale',
      '25',
    ]);
    await sim.waitForLine(new RegExp(` Connected to ${escapeRegExp(pool.url)}$`), {
      since: 'start',
      timeoutMs: 8000,
    });
    const failed = sim.lines.filter((line) =>
      new RegExp(
        `^\\d{2}:\\d{2}:\\d{2}\\.\\d{3} Failed to connect to 127\\.0\\.0\\.1:${dead}$`,
      ).test(line),
    );
    expect(failed).toHaveLength(3);
    expect(sim.lines.some((line) => line.endsWith(` Switching to pool ${pool.url}`))).toBe(true);
    const result = await resultOf(sim);
    expect(result[7]).toBe(pool.url);
    expect(result[8]).toBe('0;1;0;0');

    const dropped = sim.waitForLine(new RegExp(` Disconnected from ${escapeRegExp(pool.url)}$`));
    pool.dropConnections();
    await dropped;
    await pool.waitFor(() => pool.byMethod('mining.subscribe').length >= 2, 8000);
  });

  it('retries a pool that refuses the login', async () => {
    const pool = await track.pool({ authorize: false });
    const sim = await track.sim(['-P', `w@${pool.url}`, '--sim-time-scale', '25']);
    await sim.waitForLine(/ ERROR: Pool \S+ refused the login$/, { since: 'start' });
    await pool.waitFor(() => pool.byMethod('mining.authorize').length >= 2, 8000);
    expect(sim.lines.some((line) => / Connected to /.test(line))).toBe(false);
  });
});
