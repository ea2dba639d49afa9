import { AbortedError, type AdapterContext, type ProcessSpec } from '@rigkit/core';
import { setSessionApi, type XmrigSession } from '../adapter/xmrig-session.js';
import type { XmrigOptions } from '../options/xmrig-options.js';
import { createAccessToken } from './access-token.js';
import { toXmrigArgs, toXmrigConfigFileArgs } from './to-xmrig-args.js';
import { toXmrigConfig } from './to-xmrig-config.js';
import { removeConfigFile, writeConfigFile } from './write-config-file.js';
import type { XmrigHttpApi } from './xmrig-http-api.js';

/** xmrig restores the MSR registers it changed on exit; give it time before SIGKILL. */
export const XMRIG_GRACE_MS = 10_000;

/**
 * Prepares one run of xmrig: picks a free loopback port and a fresh access token (kept in
 * `ctx.session`), writes the config file when `options.useConfigFile` is set, and returns
 * the process to spawn. Secrets go into the config file, never into the arguments or logs.
 */
export async function buildXmrigCommand(
  options: XmrigOptions,
  ctx: AdapterContext<XmrigSession>,
  defaultBinary: string,
): Promise<ProcessSpec> {
  const api: XmrigHttpApi = {
    host: '127.0.0.1',
    port: await ctx.getFreePort(),
    token: createAccessToken(),
  };
  setSessionApi(ctx.session, api.port, api.token);
  const file = options.binary ?? defaultBinary;

  if (!options.useConfigFile) {
    ctx.logger.warn(
      { port: api.port, pools: options.pools.length },
      'xmrig runs without a config file: pool passwords and the API token are on its command line',
    );
    return {
      file,
      args: toXmrigArgs(options, api),
      stopSignal: 'SIGTERM',
      graceMs: XMRIG_GRACE_MS,
    };
  }

  const configFile = await writeConfigFile(ctx.dataDir, toXmrigConfig(options, api));
  ctx.session.configFile = configFile;
  // Core calls cleanup() after a run it stopped, but a run that dies while starting only ends
  // its scope: the signal covers every way a run can end.
  if (ctx.signal.aborted) {
    await removeConfigFile(configFile);
    throw new AbortedError('the xmrig run ended before it was launched');
  }
  ctx.signal.addEventListener('abort', () => void removeConfigFile(configFile).catch(() => {}), {
    once: true,
  });
  ctx.logger.info(
    { port: api.port, pools: options.pools.length, configFile },
    'prepared xmrig config file',
  );
  return {
    file,
    args: toXmrigConfigFileArgs(options, configFile),
    stopSignal: 'SIGTERM',
    graceMs: XMRIG_GRACE_MS,
  };
}

/** Removes the run's config file (core calls this after the run ended). Idempotent. */
export async function cleanupXmrigRun(ctx: AdapterContext<XmrigSession>): Promise<void> {
  const file = ctx.session.configFile;
  if (file === undefined) return;
  await removeConfigFile(file);
  ctx.session.configFile = undefined;
}
