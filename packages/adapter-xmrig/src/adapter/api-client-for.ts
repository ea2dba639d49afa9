import { RigkitError } from '@rigkit/core';
import { XmrigApiClient } from '../api/xmrig-api-client.js';
import type { XmrigSession } from './xmrig-session.js';

/**
 * The API client of this run, or `E_API_UNREACHABLE` when `command()` has not chosen a port
 * yet (core treats a throwing readiness probe as "not ready yet").
 */
export function apiClientFor(session: XmrigSession): XmrigApiClient {
  if (session.port === undefined) {
    throw new RigkitError('E_API_UNREACHABLE', 'xmrig has not been launched in this run');
  }
  return new XmrigApiClient(
    session.token === undefined
      ? { port: session.port }
      : { port: session.port, token: session.token },
  );
}
