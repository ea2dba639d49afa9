import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../../leaks/expect-no-leaks.js';
import { startCryptoNotePool } from './cryptonote-pool.js';

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

describe('startCryptoNotePool', () => {
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
});
