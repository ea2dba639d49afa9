import type { AdapterContext, Sample } from '@rigkit/core';
import { parseMinerGetstat1 } from '../api/parse-miner-getstat1.js';
import type { TtminerOptions } from '../options/ttminer-options.js';
import { apiClientFor } from './api-client-for.js';
import type { TtminerSession } from './ttminer-session.js';

/**
 * One reading: `miner_getstat1`, mapped with the algorithm and device list this run was
 * launched with (the answer carries neither). Typed errors of the client and of an unusable
 * answer are thrown; surprising values end up in `Sample.warnings`.
 */
export async function readTtminerSample(
  options: TtminerOptions,
  ctx: AdapterContext<TtminerSession>,
  signal: AbortSignal,
): Promise<Sample> {
  const json = await apiClientFor(ctx.session).getstat1(signal);
  const devices = ctx.session.devices ?? options.devices;
  return parseMinerGetstat1(json, {
    algo: ctx.session.algo ?? options.algo,
    ...(devices === undefined ? {} : { devices }),
  });
}
