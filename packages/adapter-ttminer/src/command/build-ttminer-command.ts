import type { AdapterContext, ProcessSpec } from '@rigkit/core';
import { recordRun, type TtminerSession } from '../adapter/ttminer-session.js';
import type { TtminerOptions } from '../options/ttminer-options.js';
import { toTtminerArgs } from './to-ttminer-args.js';
import type { TtminerApiBind } from './ttminer-api-bind.js';

/** TT-Miner releases its CUDA contexts on exit; give it time before SIGKILL. */
export const TTMINER_GRACE_MS = 10_000;

/**
 * Prepares one run of TT-Miner: picks a free loopback port for its API, records the port,
 * the API password, the algorithm and the device list in `ctx.session` (the API reports
 * neither algorithm nor device ids), and returns the process to spawn.
 *
 * The arguments carry the pool passwords (TT-Miner has no config file); they are never
 * logged. When a pool password other than `x` or an API password is set, a warning says
 * that they are visible in the process list — without naming them.
 */
export async function buildTtminerCommand(
  options: TtminerOptions,
  ctx: AdapterContext<TtminerSession>,
  defaultBinary: string,
): Promise<ProcessSpec> {
  const port = await ctx.getFreePort();
  const api: TtminerApiBind =
    options.apiPassword === undefined
      ? { host: '127.0.0.1', port }
      : { host: '127.0.0.1', port, password: options.apiPassword };
  recordRun(ctx.session, {
    port,
    apiPassword: options.apiPassword,
    algo: options.algo,
    devices: options.devices,
  });
  const file = options.binary ?? defaultBinary;
  const exposedPools = options.pools.filter(
    (pool) => pool.pass !== undefined && pool.pass !== '' && pool.pass !== 'x',
  ).length;
  if (exposedPools > 0 || options.apiPassword !== undefined) {
    ctx.logger.warn(
      { poolPasswords: exposedPools, apiPassword: options.apiPassword !== undefined },
      'TT-Miner has no config file: its pool and API passwords are visible in the process list',
    );
  }
  ctx.logger.info(
    {
      file,
      port,
      algo: options.algo,
      coin: options.coin,
      pools: options.pools.length,
      devices: options.devices,
    },
    'prepared TT-Miner command',
  );
  return {
    file,
    args: toTtminerArgs(options, api),
    stopSignal: 'SIGTERM',
    graceMs: TTMINER_GRACE_MS,
  };
}
