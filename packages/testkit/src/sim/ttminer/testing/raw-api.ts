import { connect } from 'node:net';

/** What {@link rawApiExchange} saw. */
export interface RawApiExchange {
  /** Everything the API sent. */
  text: string;
  /** Whether the API closed the connection (else the timeout ended the wait). */
  closed: boolean;
  /** Real ms from connecting to the end of the wait. */
  ms: number;
}

/**
 * Sends `request` as it is to a TT-Miner API and collects everything until the server closes
 * the connection or `timeoutMs` passes. `halfClose` ends our side after writing (a request
 * without a newline then still counts).
 */
export function rawApiExchange(
  port: number,
  request: string | Buffer,
  options: { timeoutMs?: number; halfClose?: boolean } = {},
): Promise<RawApiExchange> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({
        text: Buffer.concat(chunks).toString('utf8'),
        closed,
        ms: performance.now() - startedAt,
      });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 3000);
    socket.on('connect', () => {
      if (options.halfClose) socket.end(request);
      else socket.write(request);
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reject(error);
    });
  });
}
