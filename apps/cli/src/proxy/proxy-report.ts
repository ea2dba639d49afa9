import type { ProxyOptions, ProxyStats } from '@rigkit/adapter-stratum-proxy';
import { formatHashrate } from '../output/format.js';

/**
 * What `rigkit proxy` prints: one startup line, periodic stats lines (stdout) and one line per
 * `proxy.*` event (stderr); human text, or one JSON object per line with `--json`. Nothing
 * here can show a pool password or login: pools appear as their URL only (the options refuse
 * credentials in URLs).
 */

/** The line printed once the proxy listens. */
export function startupLine(options: ProxyOptions, stats: ProxyStats, json: boolean): string {
  const address = stats.listening ?? { host: options.listen.host, port: options.listen.port };
  const pools = options.pools.map((pool) => pool.url);
  if (json) {
    return JSON.stringify({
      type: 'listening',
      time: Date.now(),
      host: address.host,
      port: address.port,
      protocol: options.protocol,
      mode: options.mode,
      pools,
    });
  }
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  const failover = pools.length > 1 ? ` (then ${pools.slice(1).join(', ')})` : '';
  return `stratum proxy listening on ${host}:${address.port} · ${options.protocol} ${options.mode} · pool ${pools[0]}${failover}`;
}

/** One periodic stats line. */
export function statsLine(stats: ProxyStats, json: boolean, time = Date.now()): string {
  if (json) {
    return JSON.stringify({
      type: 'stats',
      time,
      miners: { now: stats.miners.now, max: stats.miners.max, refused: stats.miners.refused },
      upstreams: { active: stats.upstreams.active, total: stats.upstreams.total },
      pool: stats.pool ?? null,
      onPrimary: stats.onPrimary,
      shares: stats.shares,
      hashrate: stats.hashrate,
      workers: stats.workers,
      bytes: stats.bytes,
    });
  }
  const { shares } = stats;
  const refused = stats.miners.refused.global + stats.miners.refused.perIp;
  return [
    `miners ${stats.miners.now} (max ${stats.miners.max}${refused > 0 ? `, ${refused} refused` : ''})`,
    `upstreams ${stats.upstreams.active}/${stats.upstreams.total}${stats.onPrimary ? '' : ' on fallback'}`,
    `shares ${shares.accepted} ok ${shares.rejected} rejected ${shares.invalid} invalid ${shares.stale} stale`,
    `hashrate ${formatHashrate(stats.hashrate['1m'])} (1m) ${formatHashrate(stats.hashrate['10m'])} (10m)`,
  ].join(' · ');
}

/** One line for a `proxy.*` event (stderr). */
export function eventLine(type: string, payload: object, json: boolean, time = Date.now()): string {
  if (json) return JSON.stringify({ type: 'event', event: type, time, data: payload });
  // Worker names come from miners' logins: control characters could drive the terminal.
  const p = Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [key, printable(value)]),
  );
  switch (type) {
    case 'proxy.worker.connected':
      return `worker ${p.worker} connected from ${p.address} (#${p.connectionId})`;
    case 'proxy.worker.disconnected':
      return `worker ${p.worker} disconnected (#${p.connectionId}, ${p.reason})`;
    case 'proxy.upstream.up':
      return `upstream #${p.upstreamId} up: ${p.pool}`;
    case 'proxy.upstream.down':
      return `upstream #${p.upstreamId} down: ${p.pool} (${p.reason})`;
    case 'proxy.upstream.failover':
      return `failover ${p.from} → ${p.to} (${p.reason === 'primary' ? 'primary is back' : 'pool failed'})`;
    default:
      return `${type} ${JSON.stringify(payload)}`;
  }
}

function printable(value: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
