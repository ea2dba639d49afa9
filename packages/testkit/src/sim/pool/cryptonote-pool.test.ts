import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectNoLeaks } from '../../leaks/expect-no-leaks.js';
import { diffResources, snapshotResources } from '../../leaks/snapshot-resources.js';
import {
  type CryptoNoteJobEvent,
  type CryptoNoteShareEvent,
  startCryptoNotePool,
} from './cryptonote-pool.js';

function client(port: number) {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let i = buffer.indexOf('\n');
    while (i !== -1) {
      lines.push(JSON.parse(buffer.slice(0, i)));
      buffer = buffer.slice(i + 1);
      i = buffer.indexOf('\n');
    }
    for (const w of waiters.splice(0)) w();
  });
  const next = async (count: number) => {
    while (lines.length < count) await new Promise<void>((r) => waiters.push(r));
    return lines[count - 1] as Record<string, unknown>;
  };
  return { socket, send: (m: object) => socket.write(`${JSON.stringify(m)}\n`), next };
}

type Client = ReturnType<typeof client>;
interface LoginResult {
  id: string;
  job: { blob: string; job_id: string; target: string; height: number };
  extensions: string[];
}

/** Logs in as the `count`-th line of `c`; returns the login result. */
async function login(c: Client, count = 1): Promise<LoginResult> {
  c.send({ id: count, jsonrpc: '2.0', method: 'login', params: { login: 'wallet', pass: 'x' } });
  return (await c.next(count)).result as LoginResult;
}

/** The 4-byte little-endian target a pool announces for `difficulty`. */
function targetHex(difficulty: number): string {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(Math.floor(0xffffffff / difficulty));
  return bytes.toString('hex');
}

const closedOf = (c: Client) => new Promise<void>((resolve) => c.socket.on('close', resolve));

describe('startCryptoNotePool', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('logs in, pushes jobs with the session id, accepts shares, rejects stale/duplicate/malformed ones', async () => {
    await expectNoLeaks(async () => {
      const pool = await startCryptoNotePool({ difficulty: 10_000, jobIntervalMs: 60_000 });
      const c = client(pool.port);
      c.send({
        id: 1,
        jsonrpc: '2.0',
        method: 'login',
        params: { login: 'wallet', pass: 'x', agent: 'XMRig/6.26.0', algo: ['rx/0'] },
      });
      const login = (await c.next(1)).result as {
        id: string;
        job: { job_id: string; target: string };
        extensions: string[];
      };
      expect(login.job.target).toBe('b88d0600'); // the fixture's target for difficulty ≈ 10,000
      expect(login.extensions).toContain('nicehash');
      const share = {
        id: login.id,
        job_id: login.job.job_id,
        nonce: '0a0b0c0d',
        result: '0'.repeat(64),
      };
      c.send({ id: 2, jsonrpc: '2.0', method: 'submit', params: share });
      expect((await c.next(2)).result).toEqual({ status: 'OK' });
      c.send({ id: 3, jsonrpc: '2.0', method: 'submit', params: share });
      expect((await c.next(3)).error).toEqual({ code: -1, message: 'Duplicate share' });
      pool.pushJob();
      const job = (await c.next(4)) as { method: string; params: { id: string; job_id: string } };
      expect(job.method).toBe('job');
      expect(job.params.id).toBe(login.id);
      // The previous job still counts (a share in flight when the job changed).
      c.send({ id: 5, jsonrpc: '2.0', method: 'submit', params: { ...share, nonce: '00000001' } });
      expect((await c.next(5)).result).toEqual({ status: 'OK' });
      pool.pushJob();
      await c.next(6);
      c.send({ id: 7, jsonrpc: '2.0', method: 'submit', params: { ...share, nonce: '00000002' } });
      expect((await c.next(7)).error).toEqual({ code: -1, message: 'Invalid job id' });
      c.send({
        id: 8,
        jsonrpc: '2.0',
        method: 'submit',
        params: { ...share, job_id: job.params.job_id, nonce: 'xyz' },
      });
      expect((await c.next(8)).error).toEqual({ code: -1, message: 'Malformed share' });
      c.send({ id: 9, jsonrpc: '2.0', method: 'keepalived', params: { id: login.id } });
      expect((await c.next(9)).result).toEqual({ status: 'KEEPALIVED' });
      // A result whose last 8 bytes (little-endian) are above the target is a low-difficulty share.
      c.send({
        id: 10,
        jsonrpc: '2.0',
        method: 'submit',
        params: { ...share, job_id: job.params.job_id, nonce: '00000003', result: 'f'.repeat(64) },
      });
      expect((await c.next(10)).error).toEqual({ code: -1, message: 'Low difficulty share' });
      expect(pool.stats()).toMatchObject({ logins: 1, accepted: 2, rejected: 4 });
      c.socket.destroy();
      await pool.close();
    });
  });

  it('refuses a login with the configured bad password, and closes on garbage or huge lines', async () => {
    const pool = await startCryptoNotePool({ rejectPassword: 'bad', maxLineBytes: 1024 });
    const c = client(pool.port);
    c.send({ id: 1, jsonrpc: '2.0', method: 'login', params: { login: 'w', pass: 'bad' } });
    expect((await c.next(1)).error).toEqual({
      code: -1,
      message: 'Invalid payment address provided',
    });
    const closed = new Promise((r) => c.socket.on('close', r));
    c.socket.write(`${'x'.repeat(4096)}`);
    await closed;
    await pool.close();
  });

  it('jobIntervalMs 0 makes no timer; pushJob returns the job id and push time, calls onJob, clean forgets the previous job', async () => {
    await expectNoLeaks(async () => {
      const before = snapshotResources();
      const events: CryptoNoteJobEvent[] = [];
      const pool = await startCryptoNotePool({ jobIntervalMs: 0, onJob: (e) => events.push(e) });
      expect(diffResources(before, snapshotResources()).Timeout).toBeUndefined();
      const c = client(pool.port);
      const first = await login(c);
      const t0 = Date.now();
      const pushed = pool.pushJob();
      expect(pushed.time).toBeGreaterThanOrEqual(t0);
      expect(pushed.jobId).not.toBe(first.job.job_id);
      const job = (await c.next(2)) as { params: { job_id: string; height: number } };
      expect(job.params.job_id).toBe(pushed.jobId);
      expect(events).toEqual([
        { jobId: pushed.jobId, time: pushed.time, height: job.params.height, miners: 1 },
      ]);
      expect(job.params.height).toBe(first.job.height + 1);
      pool.pushJob({ clean: true });
      await c.next(3);
      // The job before the clean push is gone at once, not one push later.
      const share = {
        id: first.id,
        job_id: pushed.jobId,
        nonce: '00000001',
        result: '0'.repeat(64),
      };
      c.send({ id: 4, jsonrpc: '2.0', method: 'submit', params: share });
      expect((await c.next(4)).error).toEqual({ code: -1, message: 'Invalid job id' });
      expect(pool.stats()).toMatchObject({
        jobs: 3,
        rejected: 1,
        rejectedByReason: { 'invalid-job-id': 1 },
      });
      c.socket.destroy();
      await pool.close();
    });
  });

  it('nicehash: sets blob byte 42 per connection and refuses a nonce with another top byte', async () => {
    await expectNoLeaks(async () => {
      const shares: CryptoNoteShareEvent[] = [];
      const pool = await startCryptoNotePool({
        nicehash: true,
        jobIntervalMs: 0,
        difficulty: 1000,
        onShare: (s) => shares.push(s),
      });
      const a = client(pool.port);
      const b = client(pool.port);
      const la = await login(a);
      const lb = await login(b);
      const byteA = la.job.blob.slice(84, 86);
      const byteB = lb.job.blob.slice(84, 86);
      expect(byteA).not.toBe(byteB);
      // Same work otherwise, with the rest of the nonce (bytes 39–41) zero.
      expect(la.job.blob.slice(0, 84)).toBe(lb.job.blob.slice(0, 84));
      expect(la.job.blob.slice(86)).toBe(lb.job.blob.slice(86));
      expect(la.job.blob.slice(78, 84)).toBe('000000');

      const share = { id: la.id, job_id: la.job.job_id, result: '0'.repeat(64) };
      a.send({
        id: 2,
        jsonrpc: '2.0',
        method: 'submit',
        params: { ...share, nonce: `abcdef${byteA}` },
      });
      expect((await a.next(2)).result).toEqual({ status: 'OK' });
      a.send({
        id: 3,
        jsonrpc: '2.0',
        method: 'submit',
        params: { ...share, nonce: `abcdef${byteB}` },
      });
      const error = (await a.next(3)).error as { code: number; message: string };
      expect(error.message).toBe(
        `Invalid nonce: NiceHash mode fixes its top byte (hex chars 6-7) to ${byteA}, got ${byteB}`,
      );
      // Later jobs keep each connection's byte.
      pool.pushJob();
      const jobA = (await a.next(4)) as { params: { blob: string } };
      const jobB = (await b.next(2)) as { params: { blob: string } };
      expect(jobA.params.blob.slice(84, 86)).toBe(byteA);
      expect(jobB.params.blob.slice(84, 86)).toBe(byteB);

      expect(pool.stats()).toMatchObject({
        accepted: 1,
        rejected: 1,
        rejectedByReason: { 'nicehash-nonce': 1, duplicate: 0 },
      });
      expect(shares).toEqual([
        {
          minerId: la.id,
          jobId: la.job.job_id,
          nonce: `abcdef${byteA}`,
          difficulty: 1000,
          accepted: true,
        },
        {
          minerId: la.id,
          jobId: la.job.job_id,
          nonce: `abcdef${byteB}`,
          difficulty: 1000,
          accepted: false,
          reason: 'nicehash-nonce',
        },
      ]);
      a.socket.destroy();
      b.socket.destroy();
      await pool.close();
    });
  });

  it('duplicates are per connection: the same nonce from two connections is two shares', async () => {
    const pool = await startCryptoNotePool({ jobIntervalMs: 0 });
    const a = client(pool.port);
    const b = client(pool.port);
    const la = await login(a);
    const lb = await login(b);
    const share = { job_id: la.job.job_id, nonce: '01020304', result: '0'.repeat(64) };
    a.send({ id: 2, jsonrpc: '2.0', method: 'submit', params: { ...share, id: la.id } });
    b.send({ id: 2, jsonrpc: '2.0', method: 'submit', params: { ...share, id: lb.id } });
    expect((await a.next(2)).result).toEqual({ status: 'OK' });
    expect((await b.next(2)).result).toEqual({ status: 'OK' });
    b.send({ id: 3, jsonrpc: '2.0', method: 'submit', params: { ...share, id: lb.id } });
    expect((await b.next(3)).error).toEqual({ code: -1, message: 'Duplicate share' });
    a.socket.destroy();
    b.socket.destroy();
    await pool.close();
  });

  it('rejectNext refuses the next otherwise valid shares, without remembering their nonces', async () => {
    const pool = await startCryptoNotePool({ jobIntervalMs: 0 });
    const c = client(pool.port);
    const l = await login(c);
    const submit = (id: number, nonce: string) =>
      c.send({
        id,
        jsonrpc: '2.0',
        method: 'submit',
        params: { id: l.id, job_id: l.job.job_id, nonce, result: '0'.repeat(64) },
      });
    pool.rejectNext(2);
    // A malformed share is refused for what it is and does not use up the burst.
    submit(2, 'zz');
    submit(3, '00000001');
    submit(4, '00000002');
    submit(5, '00000003');
    submit(6, '00000001');
    const burst = { code: -1, message: 'Share rejected (simulated reject burst)' };
    expect((await c.next(2)).error).toEqual({ code: -1, message: 'Malformed share' });
    expect((await c.next(3)).error).toEqual(burst);
    expect((await c.next(4)).error).toEqual(burst);
    expect((await c.next(5)).result).toEqual({ status: 'OK' });
    expect((await c.next(6)).result).toEqual({ status: 'OK' });
    expect(pool.stats()).toMatchObject({
      accepted: 2,
      rejected: 3,
      rejectedByReason: { 'reject-burst': 2, 'malformed-share': 1 },
    });
    c.socket.destroy();
    await pool.close();
  });

  it('outage drops every connection and refuses new ones until recover listens on the same port', async () => {
    await expectNoLeaks(async () => {
      const pool = await startCryptoNotePool({ jobIntervalMs: 0 });
      const a = client(pool.port);
      await login(a);
      const closed = closedOf(a);
      await pool.outage();
      await closed;
      const refused = await new Promise<string | undefined>((resolve) => {
        const socket = connect(pool.port, '127.0.0.1');
        socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code));
        socket.on('connect', () => {
          socket.destroy();
          resolve('connected');
        });
      });
      expect(refused).toBe('ECONNREFUSED');
      expect(pool.stats().openConnections).toBe(0);
      await pool.recover();
      const b = client(pool.port);
      expect((await login(b)).id).toMatch(/^[0-9a-f]{16}$/);
      expect(pool.stats()).toMatchObject({ connections: 2, openConnections: 1, logins: 2 });
      b.socket.destroy();
      // Close straight from an outage too.
      await pool.outage();
      await pool.close();
    });
  });

  it('vardiff retargets each connection from one timer, with a new job id carrying the new target', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    const pool = await startCryptoNotePool({
      difficulty: 1000,
      jobIntervalMs: 0,
      vardiff: { targetSharesPerMinute: 6, retargetMs: 10_000, min: 100, max: 5000 },
    });
    const c = client(pool.port);
    const l = await login(c);
    const base = l.job.job_id.slice(0, -2);
    expect(l.job.job_id).toBe(`${base}.0`);
    expect(l.job.target).toBe(targetHex(1000));
    let line = 1;
    const submit = async (jobId: string, nonce: string, result = '0'.repeat(64)) => {
      line += 1;
      c.send({
        id: line,
        jsonrpc: '2.0',
        method: 'submit',
        params: { id: l.id, job_id: jobId, nonce, result },
      });
      return c.next(line);
    };
    for (let i = 0; i < 4; i += 1) await submit(l.job.job_id, `0000000${i}`);

    // 4 shares in 10 s = 24/min, four times the target: difficulty ×4.
    vi.advanceTimersByTime(10_000);
    line += 1;
    const retarget = (await c.next(line)) as {
      method: string;
      params: { job_id: string; target: string; blob: string; id: string };
    };
    expect(retarget.method).toBe('job');
    expect(retarget.params).toMatchObject({
      job_id: `${base}.1`,
      target: targetHex(4000),
      blob: l.job.blob,
      id: l.id,
    });
    // 2^53 in the last 8 bytes: under the target of difficulty 1000, over that of 4000.
    const middling = `${'0'.repeat(60)}2000`;
    expect((await submit(`${base}.0`, '00000010', middling)).result).toEqual({ status: 'OK' });
    expect((await submit(`${base}.1`, '00000011', middling)).error).toEqual({
      code: -1,
      message: 'Low difficulty share',
    });

    // 1 accepted share in 10 s = 6/min: on target, no new job. Then silence: a quarter.
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(10_000);
    line += 1;
    const lowered = (await c.next(line)) as { params: { job_id: string; target: string } };
    expect(lowered.params).toMatchObject({ job_id: `${base}.2`, target: targetHex(1000) });
    // Two generations back is no longer a valid job id.
    expect((await submit(`${base}.0`, '00000012')).error).toEqual({
      code: -1,
      message: 'Invalid job id',
    });
    // Silence again: clamped at min.
    vi.advanceTimersByTime(10_000);
    vi.advanceTimersByTime(10_000);
    line += 1;
    expect((await c.next(line)) as { params: { target: string } }).toMatchObject({
      params: { job_id: `${base}.3`, target: targetHex(250) },
    });
    line += 1;
    expect((await c.next(line)) as { params: { target: string } }).toMatchObject({
      params: { job_id: `${base}.4`, target: targetHex(100) },
    });
    c.socket.destroy();
    await pool.close();
  });

  it('counts protocol errors: unknown method, submit before login, garbage line', async () => {
    const pool = await startCryptoNotePool({ jobIntervalMs: 0 });
    const c = client(pool.port);
    c.send({ id: 1, jsonrpc: '2.0', method: 'getjob', params: {} });
    expect((await c.next(1)).error).toEqual({ code: -1, message: 'Unknown method' });
    c.send({ id: 2, jsonrpc: '2.0', method: 'submit', params: { id: 'nobody' } });
    expect((await c.next(2)).error).toEqual({ code: -1, message: 'Unauthenticated' });
    const closed = closedOf(c);
    c.socket.write('[1,2]\n');
    await closed;
    expect(pool.stats()).toMatchObject({ protocolErrors: 3, rejected: 0 });
    await pool.close();
  });
});
