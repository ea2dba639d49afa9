import type { AdapterContext, HealthReport } from '@rigkit/core';
import { isRigkitError } from '@rigkit/core';
import { summaryToSample } from '../api/summary-to-sample.js';
import { apiClientFor } from './api-client-for.js';
import type { XmrigSession } from './xmrig-session.js';

/**
 * One health probe: `GET /2/summary`. Ready and healthy when it answers 200 with a JSON
 * object; the hashrate (H/s) feeds core's stall detection.
 *
 * - 401/403 → `{ healthy: false, message: 'API rejected the access token' }`;
 * - another error status, oversized or non-JSON answer → `{ healthy: false, message }`;
 * - nothing listening yet, timeouts and aborts → thrown, so core keeps waiting (while
 *   starting) or counts a failed probe.
 */
export async function probeXmrig(
  ctx: AdapterContext<XmrigSession>,
  signal: AbortSignal,
): Promise<HealthReport> {
  const client = apiClientFor(ctx.session);
  let json: unknown;
  try {
    json = await client.summary(signal);
  } catch (error) {
    if (isRigkitError(error) && error.code === 'E_API_AUTH') {
      ctx.logger.warn({ code: error.code, details: error.details }, 'xmrig API refused the token');
      return { healthy: false, ready: false, message: 'API rejected the access token' };
    }
    if (isRigkitError(error) && error.code === 'E_API_RESPONSE') {
      return { healthy: false, ready: false, message: error.message };
    }
    throw error;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return {
      healthy: false,
      ready: false,
      message: 'xmrig API /2/summary answered JSON that is not a summary object',
    };
  }
  const hashrate = summaryToSample(json).hashrate;
  return hashrate === undefined
    ? { healthy: true, ready: true }
    : { healthy: true, ready: true, hashrate };
}
