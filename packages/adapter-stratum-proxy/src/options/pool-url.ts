import { isIPv4, isIPv6 } from 'node:net';
import { ConfigInvalidError } from '@rigkit/core';

/** Where a pool is and whether to speak TLS to it. */
export interface PoolAddress {
  /** Hostname or IP address; IPv6 without brackets, ready for `net.connect`. */
  host: string;
  port: number;
  tls: boolean;
}

const SCHEMES: Readonly<Record<string, boolean>> = {
  'stratum+tcp': false,
  'stratum+ssl': true,
  'stratum+tls': true,
};

// A DNS name: dot-separated labels of letters, digits, `-` and `_` (some pool hosts use it).
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;
const MAX_URL_LENGTH = 300;

/**
 * Checks a pool URL and returns its address, or the reason it is refused. The reason never
 * repeats the URL, which could carry a password in a `user:pass@` part.
 */
export function checkPoolUrl(url: unknown): PoolAddress | string {
  if (typeof url !== 'string') return 'expected a string';
  if (url.length === 0 || url.length > MAX_URL_LENGTH) {
    return `expected 1 to ${MAX_URL_LENGTH} characters`;
  }
  let rest = url;
  let tls = false;
  const schemeEnd = url.indexOf('://');
  if (schemeEnd !== -1) {
    const scheme = url.slice(0, schemeEnd).toLowerCase();
    const schemeTls = SCHEMES[scheme];
    if (schemeTls === undefined) {
      return 'unsupported scheme; use stratum+tcp://, stratum+ssl:// or stratum+tls://';
    }
    tls = schemeTls;
    rest = url.slice(schemeEnd + 3);
  }
  if (rest.includes('@')) return 'credentials in the URL are not allowed; use user and pass';
  if (/[/?#\s]/.test(rest)) return 'expected host:port without a path, query or spaces';

  let host: string;
  let portText: string;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1 || rest[close + 1] !== ':') return 'expected [ipv6]:port';
    host = rest.slice(1, close);
    portText = rest.slice(close + 2);
    if (!isIPv6(host)) return 'invalid IPv6 address';
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon === -1) return 'missing port; expected host:port';
    host = rest.slice(0, colon);
    portText = rest.slice(colon + 1);
    // A bare IPv6 address is ambiguous (`::1:3333`), so brackets are required.
    if (host.includes(':')) return 'IPv6 addresses must be in brackets: [::1]:3333';
    if (!isIPv4(host) && !HOSTNAME.test(host)) return 'invalid host name';
  }
  if (!/^\d{1,5}$/.test(portText)) return 'port must be a number from 1 to 65535';
  const port = Number(portText);
  if (port < 1 || port > 65_535) return 'port must be a number from 1 to 65535';
  return { host, port, tls };
}

/**
 * Parses `host:port`, `stratum+tcp://host:port`, `stratum+ssl://host:port`,
 * `stratum+tls://host:port` or `[ipv6]:port`.
 * @throws {ConfigInvalidError} (`E_CONFIG_INVALID`) for anything else; the message omits the URL.
 */
export function parsePoolUrl(url: string): PoolAddress {
  const result = checkPoolUrl(url);
  if (typeof result === 'string') {
    throw new ConfigInvalidError('pool url', [{ path: '', message: result }]);
  }
  return result;
}

/** A display form of a pool (`stratum+ssl://[::1]:443`); it never contains credentials. */
export function formatPool(address: PoolAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.tls ? 'stratum+ssl' : 'stratum+tcp'}://${host}:${address.port}`;
}
