import { readFileSync } from 'node:fs';
import { isRigkitError } from '@rigkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { expectNoLeaks } from '../../leaks/expect-no-leaks.js';
import { startCryptoNotePool } from '../pool/cryptonote-pool.js';
import { type CryptoNoteJob, connectCryptoNoteClient } from './cryptonote-client.js';
import { StratumReplyError } from './stratum-client-error.js';
import { type ScriptedServer, startScriptedServer } from './testing/scripted-server.js';

/** A fixture under `src/sim/xmrig/__fixtures__/stratum` (copied from `shared/fixtures`), by line. */
const fixture = (name: string) =>
  readFileSync(new URL(`../xmrig/__fixtures__/stratum/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '');
const XMRIG = fixture('cryptonote-xmrig-client-job-mode.jsonl');
const POOL = fixture('cryptonote-pool-side.jsonl');

describe('CryptoNoteClient', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('writes login and submit exactly as xmrig does, and reads the pool-side fixture', async () => {
    server = await startScriptedServer();
    const client = await connectCryptoNoteClient({ host: '127.0.0.1', port: server.port });
    const peer = await server.accepted();
    const xmrigLogin = JSON.parse(XMRIG[0] as string).params;
    const login = client.login({
      login: xmrigLogin.login,
      pass: xmrigLogin.pass,
      agent: xmrigLogin.agent,
      rigid: xmrigLogin.rigid,
      algo: xmrigLogin.algo,
    });
    expect(await peer.nextLine()).toBe(XMRIG[0]);
    peer.socket.write(`${POOL[0]}\n`);
    const result = await login;
    expect(result.id).toBe('1be0b7b6b15a47be');
    expect(result.job?.job_id).toBe('q7PLUPL25UV0z5Ij14IyMk8htXbj');
    expect(result.extensions).toEqual(['algo', 'nicehash', 'connect', 'tls', 'keepalive']);

    const jobs: CryptoNoteJob[] = [];
    client.onJob((job) => jobs.push(job));
    peer.socket.write(`${POOL[2]}\n`);
    const share = JSON.parse(XMRIG[1] as string).params;
    const submitted = client.submit({
      id: share.id,
      jobId: share.job_id,
      nonce: share.nonce,
      result: share.result,
      algo: share.algo,
    });
    expect(await peer.nextLine()).toBe(XMRIG[1]);
    peer.socket.write(`${POOL[4]}\n`);
    expect((await submitted).error).toEqual({ code: -1, message: 'Low difficulty share' });
    expect(jobs.map((j) => j.job_id)).toEqual(['4BiGm3/RgGQzgkTI/xV0smdA+EGZ']);

    const keepalive = client.keepalive('1be0b7b6b15a47be');
    expect(await peer.nextLine()).toBe(
      '{"id":3,"jsonrpc":"2.0","method":"keepalived","params":{"id":"1be0b7b6b15a47be"}}',
    );
    peer.socket.write(`${POOL[5]}\n`);
    expect((await keepalive).result).toEqual({ status: 'KEEPALIVED' });
    await client.close();
  });

  it('logs in to the pool simulator, submits, gets pushed jobs, and leaks nothing', async () => {
    await expectNoLeaks(async () => {
      const pool = await startCryptoNotePool({ jobIntervalMs: 0, difficulty: 1000 });
      const client = await connectCryptoNoteClient({ host: '127.0.0.1', port: pool.port });
      const login = await client.login({ login: 'wallet', agent: 'rigkit-test/1.0' });
      expect(login.extensions).toContain('keepalive');
      const job = login.job as CryptoNoteJob;
      const share = { id: login.id, jobId: job.job_id, nonce: '00000001', result: '0'.repeat(64) };
      expect((await client.submit(share)).result).toEqual({ status: 'OK' });
      expect((await client.submit(share)).error).toEqual({ code: -1, message: 'Duplicate share' });

      const pushed = new Promise<CryptoNoteJob>((resolve) => client.onJob(resolve));
      const { jobId } = pool.pushJob();
      expect(await pushed).toMatchObject({ job_id: jobId, id: login.id });
      expect((await client.keepalive(login.id)).result).toEqual({ status: 'KEEPALIVED' });
      expect(pool.stats()).toMatchObject({ accepted: 1, rejected: 1 });
      await client.close();
      await pool.close();
    });
  });

  it('a refused login rejects with the pool message', async () => {
    const pool = await startCryptoNotePool({ jobIntervalMs: 0, rejectPassword: 'bad' });
    const client = await connectCryptoNoteClient({ host: '127.0.0.1', port: pool.port });
    const error = await client.login({ login: 'wallet', pass: 'bad' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StratumReplyError);
    expect(isRigkitError(error) && error.code).toBe('E_STRATUM_REPLY_ERROR');
    expect((error as StratumReplyError).poolMessage).toBe('Invalid payment address provided');
    expect((error as StratumReplyError).poolError).toEqual({
      code: -1,
      message: 'Invalid payment address provided',
    });
    await client.close();
    await pool.close();
  });
});
