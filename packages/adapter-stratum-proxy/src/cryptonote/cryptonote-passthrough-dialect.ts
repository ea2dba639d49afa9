import type { PassthroughDialect } from '../passthrough/passthrough-dialect.js';
import type { JsonRpcMessage } from '../wire/json-rpc.js';
import { targetToDifficulty } from './target.js';

function jobTarget(message: JsonRpcMessage): unknown {
  if (message.method === 'job') return (message.params as { target?: unknown } | null)?.target;
  const result = message.result as { job?: { target?: unknown } } | null | undefined;
  return result?.job?.target;
}

/** The xmrig dialect for passthrough mode. */
export const cryptonotePassthroughDialect: PassthroughDialect = {
  opening: new Set(['login']),
  forwarded: new Set(['login', 'submit', 'keepalived', 'getjob']),
  submit: 'submit',
  keepalive: new Set(['keepalived']),
  rewrite(method, params, pool) {
    if (method !== 'login' || pool.user === undefined) return params;
    const login = typeof params === 'object' && params !== null ? params : {};
    return { ...login, login: pool.user, pass: pool.pass };
  },
  workerName(method, params) {
    if (method !== 'login') return undefined;
    const value = (params ?? {}) as { login?: unknown; rigid?: unknown };
    const name = typeof value.rigid === 'string' && value.rigid ? value.rigid : value.login;
    return typeof name === 'string' ? name.slice(0, 128) : 'unknown';
  },
  loginAccepted(_method, reply) {
    return !reply.error && typeof (reply.result as { id?: unknown } | null)?.id === 'string';
  },
  shareResult(reply) {
    if (!reply.error) return 'accepted';
    const message = String((reply.error as { message?: unknown }).message ?? '').toLowerCase();
    return message.includes('expired') || message.includes('stale') ? 'stale' : 'rejected';
  },
  difficulty(message) {
    return targetToDifficulty(jobTarget(message));
  },
  errorLine(id, message, code) {
    const error = code ? { code: -1, message, rigkit: code } : { code: -1, message };
    return `${JSON.stringify({ id, jsonrpc: '2.0', error })}\n`;
  },
  notOpenedLine(id) {
    return this.errorLine(id, 'Unauthenticated');
  },
};
