import { request } from 'node:http';

/** What {@link httpGet} read: the status, and the body of a 2xx answer (else empty). */
export interface HttpGetResult {
  status: number;
  text: string;
}

/** Options of {@link httpGet}. */
export interface HttpGetOptions {
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  signal: AbortSignal;
  maxBodyBytes: number;
  /** The error thrown when the body is larger than `maxBodyBytes` (declared or streamed). */
  tooLarge: (status: number) => Error;
}

/**
 * One `GET` over a fresh connection (`agent: false`), closed when the answer ends.
 *
 * Not `fetch`: Node's global fetch dispatcher keeps a connection pool for every origin it has
 * seen and never forgets one, and xmrig's API gets a new port on every start — so a miner
 * restarted a thousand times would leave a thousand pools (about 20 KB each) in the heap.
 *
 * Only a 2xx body is read (as UTF-8, at most `maxBodyBytes`); any other answer is dropped
 * unread. Redirects are never followed. Rejects with the socket's error (with its `code`),
 * or with the signal's reason when it fires.
 */
export function httpGet(options: HttpGetOptions): Promise<HttpGetResult> {
  const { signal, maxBodyBytes } = options;
  return new Promise<HttpGetResult>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const fail = (error: unknown) => {
      settle(() => reject(error));
      req.destroy();
    };
    const onAbort = () => fail(signal.reason);
    const req = request({
      host: options.host,
      port: options.port,
      path: options.path,
      method: 'GET',
      headers: options.headers,
      agent: false,
    });
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (error) => settle(() => reject(error)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        settle(() => resolve({ status, text: '' }));
        res.destroy();
        return;
      }
      const declared = Number(res.headers['content-length'] ?? Number.NaN);
      if (declared > maxBodyBytes) {
        fail(options.tooLarge(status));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBodyBytes) {
          fail(options.tooLarge(status));
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () =>
        settle(() => resolve({ status, text: Buffer.concat(chunks, size).toString('utf8') })),
      );
      res.on('error', (error) => fail(error));
      res.on('close', () => {
        if (!res.complete) {
          fail(
            Object.assign(new Error('the connection closed mid-answer'), { code: 'ECONNRESET' }),
          );
        }
      });
    });
    req.end();
  });
}
