import type { PassthroughDialect } from '../passthrough/passthrough-dialect.js';
import { SV1_ERROR } from './stratum-v1-messages.js';

/** Bitcoin Stratum V1 for passthrough mode. */
export const stratumV1PassthroughDialect: PassthroughDialect = {
  opening: new Set(['mining.subscribe', 'mining.configure']),
  forwarded: new Set([
    'mining.subscribe',
    'mining.configure',
    'mining.authorize',
    'mining.submit',
    'mining.extranonce.subscribe',
    'mining.suggest_difficulty',
  ]),
  submit: 'mining.submit',
  keepalive: new Set(),
  rewrite(method, params, pool) {
    if (pool.user === undefined || !Array.isArray(params)) return params;
    if (method === 'mining.authorize') return [pool.user, pool.pass];
    if (method === 'mining.submit') return [pool.user, ...params.slice(1)];
    return params;
  },
  workerName(method, params) {
    if (method !== 'mining.authorize') return undefined;
    const user = Array.isArray(params) ? params[0] : undefined;
    return typeof user === 'string' ? user.slice(0, 128) : 'unknown';
  },
  loginAccepted(_method, reply) {
    return reply.result === true;
  },
  shareResult(reply) {
    if (reply.result === true) return 'accepted';
    const code = Array.isArray(reply.error) ? reply.error[0] : undefined;
    return code === SV1_ERROR.JOB_NOT_FOUND ? 'stale' : 'rejected';
  },
  difficulty(message) {
    if (message.method !== 'mining.set_difficulty') return undefined;
    const value = Array.isArray(message.params) ? message.params[0] : undefined;
    return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
  },
  errorLine(id, message, code) {
    return `${JSON.stringify({ id, result: null, error: [SV1_ERROR.OTHER, message, code ?? null] })}\n`;
  },
  notOpenedLine(id) {
    return `${JSON.stringify({ id, result: null, error: [SV1_ERROR.NOT_SUBSCRIBED, 'Not subscribed', null] })}\n`;
  },
};
