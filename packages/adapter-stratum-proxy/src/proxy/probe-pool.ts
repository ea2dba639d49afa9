import type { ProxyOptions } from '../options/proxy-options.js';
import type { PoolEntry } from '../upstream/pool-selector.js';
import { UpstreamConnection } from '../upstream/upstream-connection.js';
import { PROXY_AGENT } from './proxy-agent.js';

/**
 * Whether a pool is healthy again: it accepts a connection and answers the dialect's first
 * request (a CryptoNote login with the proxy's credentials, or a Stratum V1 subscribe). The
 * connection is closed either way. Used before returning to the primary pool.
 */
export async function probePool(
  pool: PoolEntry,
  options: ProxyOptions,
  signal: AbortSignal,
): Promise<boolean> {
  const connection = new UpstreamConnection({
    target: pool.target,
    maxLineBytes: options.limits.maxLineBytes,
    connectTimeoutMs: options.failover.connectTimeoutMs,
    requestTimeoutMs: options.limits.upstreamRequestTimeoutMs,
    maxPending: 4,
    onNotification: () => {},
    onClose: () => {},
  });
  const timer = setInterval(() => connection.sweep(), 1000);
  const onAbort = () => connection.close('aborted');
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await connection.connect(signal);
    if (options.protocol === 'cryptonote') {
      if (pool.user === undefined) return true; // passthrough without a proxy login: TCP is all we can test
      const reply = await connection.call('login', {
        login: pool.user,
        pass: pool.pass,
        agent: PROXY_AGENT,
      });
      return !reply.error && typeof (reply.result as { id?: unknown } | null)?.id === 'string';
    }
    const reply = await connection.call('mining.subscribe', [PROXY_AGENT]);
    return !reply.error && Array.isArray(reply.result);
  } catch {
    return false;
  } finally {
    clearInterval(timer);
    signal.removeEventListener('abort', onAbort);
    connection.close('probe done');
  }
}
