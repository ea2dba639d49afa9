import { formatHostPort } from '../shared/host-port.js';

/** A pool address split into its parts. */
export interface PoolAddress {
  host: string;
  port: number;
  /** `stratum+ssl://` turns TLS on, like xmrig. */
  tls: boolean;
}

/** xmrig's default stratum port when a URL has none. */
export const DEFAULT_POOL_PORT = 3333;

const POOL_URL =
  /^(?:(stratum\+tcp|stratum\+ssl|stratum\+tls):\/\/)?(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+)(?::(\d{1,5}))?$/i;

/**
 * Parses a pool URL the way xmrig's `Url` does: `host:port`, `stratum+tcp://host:port`,
 * `stratum+ssl://host:port` (TLS), a bracketed IPv6 host, and the default port 3333 when the
 * port is missing. Returns `undefined` for anything else (xmrig drops such a pool).
 */
export function parsePoolUrl(url: string): PoolAddress | undefined {
  const match = POOL_URL.exec(url.trim());
  if (!match) return undefined;
  const scheme = match[1]?.toLowerCase();
  const port = match[3] === undefined ? DEFAULT_POOL_PORT : Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  let host = match[2] as string;
  if (host.startsWith('[')) host = host.slice(1, -1);
  return { host, port, tls: scheme === 'stratum+ssl' || scheme === 'stratum+tls' };
}

/** `host:port` as xmrig prints a pool in its log (`[::1]:3333` for IPv6). */
export function formatPoolAddress(address: Pick<PoolAddress, 'host' | 'port'>): string {
  return formatHostPort(address);
}
