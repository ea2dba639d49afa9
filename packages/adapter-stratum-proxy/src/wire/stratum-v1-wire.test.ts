// Stratum V1 wire format through a live proxy, from the fixture lines: a miner's configure,
// subscribe, extranonce.subscribe, authorize and submit lines go in as captured; replies have
// the fixture shapes, ids come back verbatim (integers and strings), and errors are
// `[code, message, null]` tuples with the codes 20–25 where they apply.
import { readFileSync } from 'node:fs';
import { type StratumV1Pool, startStratumV1Pool } from '@rigkit/testkit/simulators';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectLineClient, type Line, type LineClient } from '../testing/line-client.js';
import { startTestProxy, type TestProxy } from '../testing/proxy-harness.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

const fixtureLines = readFileSync(
  new URL('../__fixtures__/stratum/stratum-v1-examples.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => JSON.parse(line) as Line);

/** The fixture request of `method` (the first one, or the one with `id`). */
function fixture(method: string, id?: unknown): Line {
  const line = fixtureLines.find(
    (candidate) => candidate.method === method && (id === undefined || candidate.id === id),
  );
  if (!line) throw new Error(`no fixture line for ${method}`);
  return structuredClone(line);
}

/** The fixture reply to the request with `id` whose result/error satisfies `match`. */
function fixtureReply(id: unknown, match: (line: Line) => boolean = () => true): Line {
  const line = fixtureLines.find(
    (candidate) => candidate.method === undefined && candidate.id === id && match(candidate),
  );
  if (!line) throw new Error(`no fixture reply for id ${String(id)}`);
  return line;
}

/** The JSON "shape" of a value: types and keys, not values. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value === null) return null;
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, shape(v)]),
    );
  }
  return typeof value;
}

let upstream: StratumV1Pool;
const cleanups: Array<() => unknown> = [];
beforeEach(async () => {
  // Verification off: the shares below are made up; the pool still checks job, size,
  // worker, subscription and duplicates, and `rejectNext` makes its low-difficulty answer.
  upstream = await startStratumV1Pool({ verifyShares: false, jobIntervalMs: 0, difficulty: 1 });
  cleanups.push(() => upstream.close());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxy(mode: 'aggregate' | 'passthrough'): Promise<TestProxy> {
  const started = await startTestProxy({
    protocol: 'stratum-v1',
    mode,
    // Passthrough without a proxy login: the miners' own names reach the pool.
    pools: [
      mode === 'aggregate'
        ? { url: upstream.url, user: 'farm.account', pass: 'pool-secret' }
        : { url: upstream.url },
    ],
  });
  cleanups.push(() => started.proxy.stop());
  if (mode === 'aggregate') await started.events.next('proxy.upstream.up');
  return started;
}

async function client(port: number): Promise<LineClient> {
  const connected = await connectLineClient(port);
  cleanups.push(() => connected.destroy());
  return connected;
}

function isNotify(line: Line): boolean {
  return line.method === 'mining.notify';
}

describe.each(['aggregate', 'passthrough'] as const)('Stratum V1 wire format (%s)', (mode) => {
  it('configure, subscribe, extranonce.subscribe, authorize: fixture shapes, ids verbatim', async () => {
    const { port } = await proxy(mode);
    const miner = await client(port);

    const configure = fixture('mining.configure');
    const configured = await miner.call(configure);
    expect(configured.id).toBe(5);
    expect(configured.error).toBeNull();
    expect(shape(configured)).toEqual(shape(fixtureReply(5, (l) => l.result !== true)));
    expect(configured.result).toMatchObject({ 'version-rolling': true });
    // The granted mask is within what the miner asked for.
    const mask = Number.parseInt(
      (configured.result as Record<string, string>)['version-rolling.mask'] as string,
      16,
    );
    expect((mask & ~0x1fffe000) >>> 0).toBe(0);

    // The fixture's subscribe with a string id, echoed as the same string.
    const subscribe = fixture('mining.subscribe', 'mining.subscribe');
    const subscribed = await miner.call(subscribe);
    expect(subscribed.id).toBe('mining.subscribe');
    expect(subscribed.error).toBeNull();
    expect(shape(subscribed.result)).toEqual(shape(fixtureReply(1).result));
    const [, extranonce1, extranonce2Size] = subscribed.result as [unknown, string, number];
    expect(extranonce1).toMatch(/^([0-9a-f]{2})+$/);
    expect(extranonce2Size).toBe(mode === 'aggregate' ? 3 : 4);

    const extranonce = await miner.call(fixture('mining.extranonce.subscribe'));
    expect(extranonce).toEqual(fixtureReply(3));

    const authorize = { ...fixture('mining.authorize'), id: 'auth 1' };
    const authorized = await miner.call(authorize);
    expect(authorized).toEqual({ id: 'auth 1', result: true, error: null });
    // Work follows the login: set_difficulty and notify notifications with id null.
    const difficulty = await miner.next((line) => line.method === 'mining.set_difficulty');
    expect(shape(difficulty)).toEqual(shape(fixture('mining.set_difficulty')));
    const notify = await miner.next(isNotify);
    // The merkle branch is a list of hashes (empty in the fixture's one-transaction block).
    const branch = (notify.params as unknown[])[4] as unknown[];
    expect(branch.every((hash) => typeof hash === 'string')).toBe(true);
    const withoutBranch = (line: Line) => ({
      ...line,
      params: (line.params as unknown[]).map((param, i) => (i === 4 ? [] : param)),
    });
    expect(shape(withoutBranch(notify))).toEqual(shape(fixture('mining.notify')));
    expect(notify.id).toBeNull();
  });

  it('submit: accepted, 21 unknown job, 22 duplicate, 23 low difficulty from the pool', async () => {
    const { port } = await proxy(mode);
    const miner = await client(port);
    const subscribed = await miner.call({
      id: 1,
      method: 'mining.subscribe',
      params: ['cgminer/4.10.0'],
    });
    const size = (subscribed.result as [unknown, string, number])[2];
    await miner.call({ id: 2, method: 'mining.authorize', params: ['account.worker1', 'x'] });
    const notify = await miner.next(isNotify);
    const jobId = (notify.params as string[])[0] as string;
    const ntime = (notify.params as string[])[7] as string;

    const submit = (id: unknown, extranonce2: string, job = jobId) =>
      miner.call({
        ...fixture('mining.submit'),
        id,
        params: ['account.worker1', job, extranonce2, ntime, 'b2957c02'],
      });

    const accepted = await submit(4, '01'.repeat(size));
    expect(accepted).toEqual(fixtureReply(4, (line) => line.result === true));

    const duplicate = await submit('dup', '01'.repeat(size));
    expect(duplicate).toEqual({ id: 'dup', result: null, error: [22, expect.any(String), null] });

    const unknown = await submit(7, '02'.repeat(size), 'no-such-job');
    expect(unknown).toEqual({ id: 7, result: null, error: [21, expect.any(String), null] });

    upstream.rejectNext(1, 23);
    const low = await submit(8, '03'.repeat(size));
    expect(shape(low)).toEqual(shape(fixtureReply(4, (line) => line.error !== null)));
    expect(low).toEqual({ id: 8, result: null, error: [23, 'Low difficulty share', null] });
    expect(upstream.stats().accepted).toBe(1);
  });

  it('25 before subscribe, 24 submit before authorize', async () => {
    const { port } = await proxy(mode);
    const early = await client(port);
    const authorize = await early.call({ id: 11, method: 'mining.authorize', params: ['w', 'x'] });
    expect(authorize).toEqual({ id: 11, result: null, error: [25, expect.any(String), null] });
    const submit = await early.call({
      id: 12,
      method: 'mining.submit',
      params: ['w', 'bf', '00000001', '504e86ed', 'b2957c02'],
    });
    expect(submit).toEqual({ id: 12, result: null, error: [25, expect.any(String), null] });

    const unauthorized = await client(port);
    const subscribed = await unauthorized.call({ id: 1, method: 'mining.subscribe', params: [] });
    const size = (subscribed.result as [unknown, string, number])[2];
    const share = await unauthorized.call({
      id: 13,
      method: 'mining.submit',
      params: ['w', '1', '00'.repeat(size), '504e86ed', 'b2957c02'],
    });
    expect(share).toEqual({ id: 13, result: null, error: [24, expect.any(String), null] });
  });

  it('two miners with the same extranonce2, ntime and nonce do not collide as duplicates', async () => {
    // Their extranonce prefixes (aggregate) or pool connections (passthrough) differ, so these
    // are different shares: the second must reach the pool rather than be refused by the proxy.
    const { port } = await proxy(mode);
    const miners = [await client(port), await client(port)];
    const submits: Line[] = [];
    for (const [index, miner] of miners.entries()) {
      const subscribed = await miner.call({ id: 1, method: 'mining.subscribe', params: [] });
      const size = (subscribed.result as [unknown, string, number])[2];
      await miner.call({ id: 2, method: 'mining.authorize', params: [`rig-${index}`, 'x'] });
      const notify = await miner.next(isNotify);
      const params = notify.params as string[];
      submits.push(
        await miner.call({
          id: 3,
          method: 'mining.submit',
          params: [`rig-${index}`, params[0], 'ab'.repeat(size), params[7], '00c0ffee'],
        }),
      );
    }
    expect(submits).toEqual([
      { id: 3, result: true, error: null },
      { id: 3, result: true, error: null },
    ]);
    expect(upstream.stats().accepted).toBe(2);
  });
});
