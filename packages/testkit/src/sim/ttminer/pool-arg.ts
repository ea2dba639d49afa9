import type { TtminerSimPool } from './ttminer-sim-options.js';

/** A host and a port. */
export interface HostPort {
  host: string;
  port: number;
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[^\s:/@[\]]+):(\d{1,5})$/;
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
/** `stratum+tcp`, `stratum1+tcp`, `stratum2+tcp` (plain) and `…+ssl`, `…+tls` (TLS). */
const KNOWN_SCHEME = /^stratum[12]?\+(tcp|ssl|tls)$/i;

/**
 * `host:port` (IPv6 in brackets), with a port from `minPort` to 65535. Returns `undefined` for
 * anything else.
 */
export function parseHostPort(text: string, minPort = 1): HostPort | undefined {
  const match = HOST_PORT.exec(text);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < minPort || port > 65_535) return undefined;
  let host = match[1] as string;
  if (host.startsWith('[')) host = host.slice(1, -1);
  if (host.length > 255) return undefined;
  return { host, port };
}

/** Splits a leading `scheme://`; throws for a scheme TT-Miner does not speak. */
function splitScheme(value: string): { scheme: string | undefined; tls: boolean; rest: string } {
  const match = SCHEME.exec(value);
  if (!match) return { scheme: undefined, tls: false, rest: value };
  const scheme = match[1] as string;
  const known = KNOWN_SCHEME.exec(scheme);
  if (!known) throw new Error(`unsupported pool scheme '${scheme}'`);
  return {
    scheme: scheme.toLowerCase(),
    tls: (known[1] as string).toLowerCase() !== 'tcp',
    rest: value.slice(match[0].length),
  };
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new Error(`the ${what} of a -P pool is not valid percent-encoding`);
  }
}

/**
 * Parses TT-Miner's `-P [scheme://]user[.worker][:pass]@host:port`. The user (with its worker)
 * and the password are percent-decoded, as the Rigkit adapter percent-encodes them; the split
 * is at the *last* `@`, so a literal `@` in a hand-written password still works. Without
 * `:pass` the password is `x`. Throws an `Error` whose message never quotes the password.
 */
export function parsePoolArg(value: string): TtminerSimPool {
  const { scheme, tls, rest } = splitScheme(value.trim());
  const at = rest.lastIndexOf('@');
  if (at <= 0) throw new Error('a -P pool needs user@host:port');
  const credentials = rest.slice(0, at);
  const colon = credentials.indexOf(':');
  const login = decode(colon === -1 ? credentials : credentials.slice(0, colon), 'user');
  const pass = colon === -1 ? 'x' : decode(credentials.slice(colon + 1), 'password');
  if (login === '') throw new Error('a -P pool needs a user before the @');
  const address = parseHostPort(rest.slice(at + 1));
  if (!address) throw new Error('a -P pool needs host:port after the @');
  return { scheme, host: address.host, port: address.port, tls, login, pass };
}

/** Parses `-o [scheme://]host:port` (the user comes from `-u`, `-w` and `-p`). */
export function parsePoolUrl(value: string): Omit<TtminerSimPool, 'login' | 'pass'> {
  const { scheme, tls, rest } = splitScheme(value.trim());
  const address = parseHostPort(rest);
  if (!address) throw new Error(`invalid pool URL '${value}' (expected [scheme://]host:port)`);
  return { scheme, host: address.host, port: address.port, tls };
}

/** Parses `-b`: `ip:port`, `[ipv6]:port` or a bare port (on 127.0.0.1); port 0 = any free one. */
export function parseApiBind(value: string): HostPort {
  if (/^\d{1,5}$/.test(value)) {
    const port = Number(value);
    if (port <= 65_535) return { host: '127.0.0.1', port };
  }
  const address = parseHostPort(value, 0);
  if (!address) throw new Error(`invalid API bind address '${value}' (expected ip:port)`);
  return address;
}
