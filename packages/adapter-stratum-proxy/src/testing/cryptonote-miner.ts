import { connectLineClient, type Line, type LineClient } from './line-client.js';

/** A CryptoNote job as the proxy sends it. */
export interface CnTestJob {
  blob: string;
  job_id: string;
  target: string;
  id: string;
  [key: string]: unknown;
}

/** A logged-in raw CryptoNote client: the login result and helpers for honest shares. */
export interface CnTestMiner {
  client: LineClient;
  /** The session id the proxy gave the login. */
  minerId: string;
  /** The newest job received (login result first). */
  job(): CnTestJob;
  /** The nicehash byte of this miner (hex chars 84–85 of its blob). */
  nonceByte(): string;
  /** Submits a share for the current job with nonce counter `n` (in this miner's range). */
  submit(n: number, options?: { id?: number | string; jobId?: string }): Promise<Line>;
}

let nextRequestId = 100;

/** A share result the pool simulator accepts at any difficulty (its low 8 bytes are zero). */
export const EASY_RESULT = '00'.repeat(32);

/** Connects to the proxy and logs in as `worker`. */
export async function loginCnMiner(
  port: number,
  worker: string,
  options: { pass?: string; localAddress?: string } = {},
): Promise<CnTestMiner> {
  const client = await connectLineClient(port, {
    ...(options.localAddress ? { localAddress: options.localAddress } : {}),
  });
  const reply = await client.call({
    id: 1,
    jsonrpc: '2.0',
    method: 'login',
    params: { login: worker, pass: options.pass ?? 'x', agent: 'rigkit-test/1', rigid: worker },
  });
  const result = reply.result as { id: string; job: CnTestJob } | null;
  if (!result) throw new Error(`login refused: ${JSON.stringify(reply.error)}`);
  let current = result.job;
  const minerId = result.id;
  client.socket.on('data', () => {
    for (let i = client.lines.length - 1; i >= 0; i--) {
      const line = client.lines[i] as Line;
      if (line.method === 'job') {
        current = line.params as CnTestJob;
        break;
      }
    }
  });
  const nonceByte = () => current.blob.slice(84, 86);
  return {
    client,
    minerId,
    job: () => current,
    nonceByte,
    submit: (n, submitOptions = {}) => {
      const nonce = (n & 0xffffff).toString(16).padStart(6, '0') + nonceByte();
      // CryptoNote nonces are little-endian: the top byte is the last two hex digits.
      return client.call({
        id: submitOptions.id ?? nextRequestId++,
        jsonrpc: '2.0',
        method: 'submit',
        params: {
          id: minerId,
          job_id: submitOptions.jobId ?? current.job_id,
          nonce,
          result: EASY_RESULT,
        },
      });
    },
  };
}
