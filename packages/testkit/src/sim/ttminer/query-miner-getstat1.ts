import { connect } from 'node:net';

/** Options of {@link queryMinerGetstat1}. */
export interface QueryMinerGetstat1Options {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Sent as `"psw"` (TT-Miner's `--api-password`). */
  password?: string;
  /** Real ms for the whole exchange (default 5 s). */
  timeoutMs?: number;
  /** The request's `id` (default 0). */
  id?: number;
}

/** Why {@link queryMinerGetstat1} got no usable answer. */
export type Getstat1QueryFailure = 'connect' | 'timeout' | 'closed' | 'too-large' | 'not-json';

/** {@link queryMinerGetstat1} failed; `line` is the answer when it was not JSON. */
export class Getstat1QueryError extends Error {
  readonly reason: Getstat1QueryFailure;
  readonly line: string | undefined;

  constructor(reason: Getstat1QueryFailure, message: string, line?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'Getstat1QueryError';
    this.reason = reason;
    this.line = line;
  }
}

const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * Asks a TT-Miner API (the simulator's, or a real one) for `miner_getstat1`: a fresh TCP
 * connection, `{"id":0,"jsonrpc":"2.0","method":"miner_getstat1"[,"psw":…]}\n`, the first answer
 * line (or what came before the connection closed) parsed as JSON — the JSON-RPC envelope,
 * `{ id, jsonrpc, result: [...] }` or `{ id, jsonrpc, error: { code, message } }`. The socket
 * is destroyed on every path.
 *
 * Rejects with a {@link Getstat1QueryError}: `connect` (nothing listening), `timeout` (a hung
 * miner), `closed` (no answer), `too-large` (over 64 KiB) or `not-json` (with the `line`).
 */
export function queryMinerGetstat1(
  port: number,
  options: QueryMinerGetstat1Options = {},
): Promise<unknown> {
  const request =
    options.password === undefined
      ? { id: options.id ?? 0, jsonrpc: '2.0', method: 'miner_getstat1' }
      : { id: options.id ?? 0, jsonrpc: '2.0', method: 'miner_getstat1', psw: options.password };
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port });
    let buffered = Buffer.alloc(0);
    let connected = false;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      outcome();
    };
    const answer = (line: string) =>
      finish(() => {
        try {
          resolve(JSON.parse(line));
        } catch {
          reject(new Getstat1QueryError('not-json', 'the miner_getstat1 answer is not JSON', line));
        }
      });
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new Getstat1QueryError('timeout', `no miner_getstat1 answer within ${timeoutMs} ms`),
          ),
        ),
      timeoutMs,
    );
    socket.setNoDelay(true);
    socket.on('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify(request)}\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const newline = buffered.indexOf(0x0a);
      if (newline !== -1) {
        answer(buffered.subarray(0, newline).toString('utf8').replace(/\r$/, ''));
      } else if (buffered.length > MAX_ANSWER_BYTES) {
        finish(() =>
          reject(new Getstat1QueryError('too-large', 'the miner_getstat1 answer is too large')),
        );
      }
    });
    const onEnd = () => {
      const rest = buffered.toString('utf8').trim();
      if (rest !== '') answer(rest);
      else
        finish(() =>
          reject(new Getstat1QueryError('closed', 'the connection closed without an answer')),
        );
    };
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', (error) =>
      finish(() =>
        reject(
          connected
            ? new Getstat1QueryError(
                'closed',
                `the connection failed: ${error.message}`,
                undefined,
                error,
              )
            : new Getstat1QueryError(
                'connect',
                `cannot connect: ${error.message}`,
                undefined,
                error,
              ),
        ),
      ),
    );
  });
}
