import { request } from 'node:http';

/** An answer of {@link requestApi}. */
export interface ApiAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Real milliseconds from sending to the end of the answer. */
  ms: number;
}

/** What {@link requestApi} sends. */
export interface ApiRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Resolve `'timeout'` after this many ms without an answer (default 5 s). */
  timeoutMs?: number;
}

/**
 * One HTTP request to a simulator's API on a fresh connection (`agent: false`: no pooled
 * sockets outlive the test). Resolves `'timeout'` when nothing comes back in time.
 */
export function requestApi(url: string, options: ApiRequest = {}): Promise<ApiAnswer | 'timeout'> {
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        headers: { 'user-agent': 'rigkit-test/1.0', ...options.headers },
        agent: false,
        timeout: options.timeoutMs ?? 5000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - startedAt,
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => {
      req.destroy();
      resolve('timeout');
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** {@link requestApi} that fails the test on a timeout. */
export async function mustRequest(url: string, options: ApiRequest = {}): Promise<ApiAnswer> {
  const answer = await requestApi(url, options);
  if (answer === 'timeout') throw new Error(`${options.method ?? 'GET'} ${url} timed out`);
  return answer;
}
