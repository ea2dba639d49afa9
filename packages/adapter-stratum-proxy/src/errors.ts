import { RigkitError, type RigkitErrorOptions } from '@rigkit/core';

/** A stratum line was longer than the proxy's `maxLineBytes`; the connection was closed. */
export class StratumMessageTooLargeError extends RigkitError {
  constructor(limitBytes: number, options: RigkitErrorOptions = {}) {
    super('E_STRATUM_MESSAGE_TOO_LARGE', `stratum message longer than ${limitBytes} bytes`, {
      ...options,
      details: { limitBytes, ...options.details },
    });
  }
}

/** A peer sent something that is not the protocol (bad JSON, wrong types, unknown method). */
export class StratumProtocolError extends RigkitError {
  constructor(message: string, options: RigkitErrorOptions = {}) {
    super('E_STRATUM_PROTOCOL', message, options);
  }
}

/** A connection was refused because a connection limit (global or per IP) was reached. */
export class ConnectionLimitError extends RigkitError {
  constructor(limit: 'global' | 'per-ip', max: number, options: RigkitErrorOptions = {}) {
    super('E_CONNECTION_LIMIT', `connection limit reached (${limit}: ${max})`, {
      ...options,
      details: { limit, max, ...options.details },
    });
  }
}

/** No pool of the failover list could be reached or logged in to. */
export class UpstreamUnavailableError extends RigkitError {
  constructor(message: string, options: RigkitErrorOptions = {}) {
    super('E_UPSTREAM_UNAVAILABLE', message, options);
  }
}

/** The proxy could not listen on its address (in use, no permission). */
export class ProxyListenError extends RigkitError {
  constructor(message: string, options: RigkitErrorOptions = {}) {
    super('E_PROXY_LISTEN', message, options);
  }
}
