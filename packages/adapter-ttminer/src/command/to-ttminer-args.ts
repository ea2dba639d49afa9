import { parsePoolUrl } from '../options/pool-url.js';
import type { TtminerOptions, TtminerPoolOptions } from '../options/ttminer-options.js';
import type { TtminerApiBind } from './ttminer-api-bind.js';

/**
 * Builds one `-P` value: `[scheme://]user[.worker][:pass]@host:port`. The user and the
 * password are percent-encoded (`encodeURIComponent`), so `@`, `:`, `/`, `%`, spaces and
 * non-ASCII cannot change where TT-Miner splits the URL; wallet addresses, `.` in logins and
 * the usual `x` stay as they are. The result holds the password: never log it.
 */
export function toTtminerPoolArg(pool: TtminerPoolOptions): string {
  const url = parsePoolUrl(pool.url);
  // The schema validated the url; fall back to it verbatim if called with unchecked input.
  const scheme = url?.scheme === undefined ? '' : `${url.scheme}://`;
  const hostPort = url === undefined ? pool.url : `${url.host}:${url.port}`;
  let login = encodeURIComponent(pool.user);
  if (pool.worker !== undefined) login += `.${pool.worker}`;
  if (pool.pass !== undefined && pool.pass !== '') login += `:${encodeURIComponent(pool.pass)}`;
  return `${scheme}${login}@${hostPort}`;
}

/**
 * The arguments for one run of TT-Miner (an array: nothing is parsed by a shell):
 *
 * `-a <ALGO> [-c <COIN>] -P <pool>… [-d 0,1] [-i <n>] -b 127.0.0.1:<port>
 *  [--api-password <pw>] -nocolor [extraArgs…]`
 *
 * TT-Miner has no config file, so pool passwords and the API password are on its command
 * line: any local user can read them in `/proc/<pid>/cmdline`, and core's pidfile records the
 * command line. Never log the result.
 */
export function toTtminerArgs(options: TtminerOptions, api: TtminerApiBind): string[] {
  const args = ['-a', options.algo];
  if (options.coin !== undefined) args.push('-c', options.coin);
  for (const pool of options.pools) args.push('-P', toTtminerPoolArg(pool));
  if (options.devices !== undefined) args.push('-d', options.devices.join(','));
  if (options.intensity !== undefined) args.push('-i', String(options.intensity));
  args.push('-b', `${api.host}:${api.port}`);
  if (api.password !== undefined) args.push('--api-password', api.password);
  args.push('-nocolor', ...options.extraArgs);
  return args;
}
