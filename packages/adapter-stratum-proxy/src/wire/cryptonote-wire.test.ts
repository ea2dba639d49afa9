// CryptoNote (xmrig) wire format through a live proxy, from the fixture lines captured from
// xmrig 6.26.0: the login and submit lines go in as captured (only the session id, job id and
// nonce byte a real miner would take from the proxy are filled in); the replies have the
// fixture shapes and the ids come back verbatim, integers and strings.
import { readFileSync } from 'node:fs';
import { type CryptoNotePool, startCryptoNotePool } from '@rigkit/testkit/simulators';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectLineClient, type Line, type LineClient } from '../testing/line-client.js';
import { startTestProxy, type TestProxy } from '../testing/proxy-harness.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 30_000 });

function fixtureFile(name: string): Line[] {
  return readFileSync(new URL(`../__fixtures__/stratum/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as Line);
}

const client = fixtureFile('cryptonote-xmrig-client-job-mode.jsonl');
const poolSide = fixtureFile('cryptonote-pool-side.jsonl');
const [loginLine] = client as [Line];
const submitLines = client.filter((line) => line.method === 'submit');
const [loginResult, loginError, jobLine, submitOk, submitLow, keepalived] = poolSide as [
  Line,
  Line,
  Line,
  Line,
  Line,
  Line,
];

/** Sorted keys, recursively: the shape of an object without its values. */
function keys(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return typeof value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((key) => [key, keys((value as Record<string, unknown>)[key])]),
  );
}

let pool: CryptoNotePool;
const cleanups: Array<() => unknown> = [];
beforeEach(async () => {
  pool = await startCryptoNotePool({
    difficulty: 1000,
    jobIntervalMs: 0,
    rejectPassword: 'refused',
  });
  cleanups.push(() => pool.close());
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function proxy(mode: 'aggregate' | 'passthrough'): Promise<TestProxy> {
  const started = await startTestProxy({
    protocol: 'cryptonote',
    mode,
    pools: [
      mode === 'aggregate'
        ? { url: pool.url, user: 'farm-wallet', pass: 'pool-secret' }
        : { url: pool.url },
    ],
  });
  cleanups.push(() => started.proxy.stop());
  if (mode === 'aggregate') await started.events.next('proxy.upstream.up');
  return started;
}

async function connect(port: number): Promise<LineClient> {
  const connected = await connectLineClient(port);
  cleanups.push(() => connected.destroy());
  return connected;
}

describe.each(['aggregate', 'passthrough'] as const)('CryptoNote wire format (%s)', (mode) => {
  it('login, job, submit, keepalived: fixture shapes and ids verbatim', async () => {
    const { port } = await proxy(mode);
    const miner = await connect(port);

    const login = await miner.call(structuredClone(loginLine));
    expect(login.id).toBe(1);
    expect(login.jsonrpc).toBe('2.0');
    expect(login.error).toBeNull();
    const result = login.result as { id: string; job: Record<string, unknown>; status: string };
    expect(Object.keys(result).sort()).toEqual(
      Object.keys(loginResult.result as object)
        .sort()
        .filter((key) => key !== 'extensions' || 'extensions' in result),
    );
    expect(result.status).toBe('OK');
    expect(result.id).toMatch(/^[\x21-\x7e]{1,128}$/);
    expect(result.job).toMatchObject({
      blob: expect.stringMatching(/^[0-9a-f]{86,}$/),
      job_id: expect.any(String),
      target: expect.stringMatching(/^[0-9a-f]{8}$/),
    });

    // A job notification: the fixture's shape, addressed to this miner's session.
    const pushed = pool.pushJob();
    const job = await miner.next((line) => line.method === 'job');
    // Passthrough relays the pool's notification with `"id":null` added (xmrig reads any
    // non-integer id as a notification); aggregate writes exactly the fixture's keys.
    if (mode === 'passthrough') expect(job.id ?? null).toBeNull();
    const { id: _relayedId, ...jobKeys } = job;
    expect(keys({ ...(mode === 'aggregate' ? job : jobKeys), params: undefined })).toEqual(
      keys({ ...jobLine, params: undefined }),
    );
    const params = job.params as Record<string, unknown>;
    expect(params.job_id).toBe(pushed.jobId);
    expect(params.id).toBe(result.id);
    for (const key of ['blob', 'job_id', 'target', 'id']) expect(params).toHaveProperty(key);

    // The fixture's submits, with this session's id and job; the nonce keeps the proxy's byte.
    const nonceByte = (params.blob as string).slice(84, 86);
    const [first, second] = submitLines as [Line, Line];
    const submit = (line: Line, id: unknown) => {
      const sent = structuredClone(line) as Line & { params: Record<string, string> };
      sent.id = id;
      sent.params.id = result.id;
      sent.params.job_id = params.job_id as string;
      sent.params.nonce = `${sent.params.nonce?.slice(0, 6)}${nonceByte}`;
      sent.params.result = '00'.repeat(32);
      return miner.call(sent);
    };
    expect(await submit(first, 2)).toEqual(submitOk);
    expect(await submit(second, 'share "two"')).toEqual({ ...submitOk, id: 'share "two"' });

    const keepalive = await miner.call({
      id: 3,
      jsonrpc: '2.0',
      method: 'keepalived',
      params: { id: result.id },
    });
    expect(keepalive).toEqual(keepalived);
    expect(pool.stats().accepted).toBe(2);
  });

  it('a share the pool refuses comes back with the fixture error shape', async () => {
    const { port } = await proxy(mode);
    const miner = await connect(port);
    const login = await miner.call({ ...structuredClone(loginLine), id: 'login-1' });
    expect(login.id).toBe('login-1');
    const result = login.result as { id: string; job: { blob: string; job_id: string } };
    const low = await miner.call({
      id: 2,
      jsonrpc: '2.0',
      method: 'submit',
      params: {
        id: result.id,
        job_id: result.job.job_id,
        nonce: `000001${result.job.blob.slice(84, 86)}`,
        // Far above any target: the pool answers "Low difficulty share".
        result: 'ff'.repeat(32),
      },
    });
    expect(low).toEqual(submitLow);
  });

  it('a refused or malformed login gets the fixture error shape, then the connection closes', async () => {
    const { port } = await proxy(mode);
    const miner = await connect(port);
    if (mode === 'passthrough') {
      // The pool refuses the miner's own login; its error is relayed as it came.
      const refused = await miner.call({
        ...structuredClone(loginLine),
        params: { login: 'test', pass: 'refused' },
      });
      expect(keys(refused)).toEqual(keys(loginError));
      expect(refused.id).toBe(1);
    }
    const malformed = await connect(port);
    malformed.send({ id: 'bad login', jsonrpc: '2.0', method: 'login', params: { pass: 'x' } });
    const error = await malformed.next((line) => line.id === 'bad login');
    expect(error.id).toBe('bad login');
    expect(keys({ ...error, id: 1 })).toEqual(keys(loginError));
    if (mode === 'aggregate') await malformed.closed;
  });
});
