import { RigkitError } from '@rigkit/core';
import { TtminerApiClient } from '../api/ttminer-api-client.js';
import type { TtminerSession } from './ttminer-session.js';

/**
 * The API client of this run, or `E_API_UNREACHABLE` when `command()` has not chosen a port
 * yet (core treats a throwing readiness probe as "not ready yet").
 */
export function apiClientFor(session: TtminerSession): TtminerApiClient {
  if (session.port === undefined) {
    throw new RigkitError('E_API_UNREACHABLE', 'TT-Miner has not been launched in this run');
  }
  return new TtminerApiClient(
    session.apiPassword === undefined
      ? { port: session.port }
      : { port: session.port, password: session.apiPassword },
  );
}
