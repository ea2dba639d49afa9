import type { AdapterContext, HealthReport } from '@rigkit/core';
import { isRigkitError } from '@rigkit/core';
import { parseMinerGetstat1 } from '../api/parse-miner-getstat1.js';
import { apiClientFor } from './api-client-for.js';
import type { TtminerSession } from './ttminer-session.js';

/**
 * One health probe: `miner_getstat1`. Ready and healthy as soon as the API answers with a
 * usable result — **also at 0 H/s**: some TT-Miner versions report 0 until the first accepted
 * share, and the adapter's warm-up (`supervision.warmupMs`) keeps core's stall watchdog quiet
 * meanwhile. The total hashrate (H/s) feeds stall detection.
 *
 * - the API refused the password (`E_API_AUTH`) → `{ healthy: false, message }`;
 * - an unusable answer (not JSON, too long, an error object) → `{ healthy: false, message }`;
 * - nothing listening yet, timeouts and aborts → thrown, so core keeps waiting (while starting)
 *   or counts a failed probe.
 */
export async function probeTtminer(
  ctx: AdapterContext<TtminerSession>,
  signal: AbortSignal,
): Promise<HealthReport> {
  const client = apiClientFor(ctx.session);
  try {
    const json = await client.getstat1(signal);
    const { hashrate } = parseMinerGetstat1(json); // throws on an unusable answer
    return hashrate === undefined
      ? { healthy: true, ready: true }
      : { healthy: true, ready: true, hashrate };
  } catch (error) {
    if (isRigkitError(error) && error.code === 'E_API_AUTH') {
      ctx.logger.warn({ code: error.code }, 'TT-Miner API refused the API password');
      return { healthy: false, ready: false, message: 'API rejected the API password' };
    }
    if (isRigkitError(error) && error.code === 'E_API_RESPONSE') {
      return { healthy: false, ready: false, message: error.message };
    }
    throw error;
  }
}
