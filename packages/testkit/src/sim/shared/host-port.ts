/** `host:port` as miners print an address (`[::1]:3333` for an IPv6 host). */
export function formatHostPort(address: { host: string; port: number }): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${host}:${address.port}`;
}
