import type { XmrigOptions } from '../options/xmrig-options.js';
import type { XmrigHttpApi } from './xmrig-http-api.js';

/**
 * The arguments for running xmrig with a generated config file: only the file and what must
 * win over it. Secrets stay in the file.
 */
export function toXmrigConfigFileArgs(options: XmrigOptions, configFile: string): string[] {
  const args = ['--config', configFile, '--no-color'];
  if (!options.hugePages) args.push('--no-huge-pages');
  args.push(...options.extraArgs);
  return args;
}

/**
 * The arguments for running xmrig without a config file. Everything is on the command line,
 * including pool passwords and the API token: any local user can read them in
 * `/proc/<pid>/cmdline` (and core's pidfile records the command line). Prefer the config file.
 *
 * Pool flags follow their `-o`: xmrig applies `-u`, `-p`, `--tls`… to the last pool given.
 */
export function toXmrigArgs(options: XmrigOptions, api: XmrigHttpApi): string[] {
  const args: string[] = [];
  for (const pool of options.pools) {
    args.push('-o', pool.url, '-u', pool.user);
    if (pool.pass !== undefined) args.push('-p', pool.pass);
    if (pool.rigId !== undefined) args.push('--rig-id', pool.rigId);
    if (pool.tls) args.push('--tls');
    if (pool.keepalive) args.push('--keepalive');
    if (pool.nicehash) args.push('--nicehash');
    if (pool.coin !== undefined) args.push('--coin', pool.coin);
    if (pool.algo !== undefined) args.push('--algo', pool.algo);
  }
  args.push('--donate-level', String(options.donateLevel));
  if (options.threads !== undefined) args.push('--threads', String(options.threads));
  if (options.cpuMaxThreadsHint !== undefined) {
    args.push('--cpu-max-threads-hint', String(options.cpuMaxThreadsHint));
  }
  if (options.cpuPriority !== undefined) args.push('--cpu-priority', String(options.cpuPriority));
  if (!options.hugePages) args.push('--no-huge-pages');
  args.push('--http-host', api.host, '--http-port', String(api.port));
  args.push('--http-access-token', api.token);
  args.push('--no-color', ...options.extraArgs);
  return args;
}
