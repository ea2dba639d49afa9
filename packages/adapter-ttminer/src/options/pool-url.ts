/** What {@link parsePoolUrl} found in a pool address. */
export interface PoolUrl {
  /** `stratum+tcp`, `stratum+ssl`, or undefined for a bare `host:port`. */
  scheme: 'stratum+tcp' | 'stratum+ssl' | undefined;
  /** A hostname, an IPv4 address or a bracketed IPv6 address. */
  host: string;
  port: number;
}

// A hostname, an IPv4 address or a bracketed IPv6 address, then a port. No user info, path or
// query: the adapter builds the `user.worker:pass@` part of TT-Miner's -P itself, and a
// credential inside `url` would bypass the encoding and the "never logged" rules.
const POOL_URL =
  /^(?:(stratum\+tcp|stratum\+ssl):\/\/)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_])?):(\d{1,5})$/;

/**
 * Parses a pool address: `host:port`, `stratum+tcp://host:port` or `stratum+ssl://host:port`.
 * Returns `undefined` for anything else.
 */
export function parsePoolUrl(value: string): PoolUrl | undefined {
  const match = POOL_URL.exec(value);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { scheme: match[1] as PoolUrl['scheme'], host: match[2] as string, port };
}
