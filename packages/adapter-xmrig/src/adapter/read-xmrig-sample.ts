import type { AdapterContext, Sample } from '@rigkit/core';
import { isRigkitError } from '@rigkit/core';
import { backendsToDevices } from '../api/backends-to-devices.js';
import { FieldReader, MAX_WARNINGS } from '../api/field-reader.js';
import { summaryToSample } from '../api/summary-to-sample.js';
import type { XmrigOptions } from '../options/xmrig-options.js';
import { apiClientFor } from './api-client-for.js';
import type { XmrigSession } from './xmrig-session.js';

/**
 * One reading: `/2/summary` and `/2/backends` fetched concurrently and merged (per-thread
 * rows from the backends). If only `/2/backends` fails, the summary's sample is returned with
 * a warning; if `/2/summary` fails, its typed error is thrown.
 */
export async function readXmrigSample(
  options: XmrigOptions,
  ctx: AdapterContext<XmrigSession>,
  signal: AbortSignal,
): Promise<Sample> {
  const client = apiClientFor(ctx.session);
  const [summary, backends] = await Promise.allSettled([
    client.summary(signal),
    client.backends(signal),
  ]);
  if (summary.status === 'rejected') throw summary.reason;
  const sample = summaryToSample(summary.value);
  const warnings = sample.warnings ?? [];

  if (backends.status === 'fulfilled') {
    const reader = new FieldReader();
    const devices = backendsToDevices(backends.value, reader);
    if (devices) sample.devices = devices;
    warnings.push(...reader.warnings.slice(0, MAX_WARNINGS));
  } else {
    const code = isRigkitError(backends.reason) ? backends.reason.code : 'unknown error';
    warnings.push(`/2/backends failed (${code}): per-thread rows left out`);
  }
  if (warnings.length > 0) sample.warnings = warnings;
  else delete sample.warnings;

  warnDonateLevel(options, ctx, summary.value);
  return sample;
}

/**
 * Official xmrig builds raise a donate level below their minimum. The adapter passes what the
 * user set and says so once per run when xmrig reports another value, rather than changing it.
 */
function warnDonateLevel(
  options: XmrigOptions,
  ctx: AdapterContext<XmrigSession>,
  summary: unknown,
): void {
  if (ctx.session.donateWarned) return;
  const reported = (summary as { donate_level?: unknown } | null)?.donate_level;
  if (typeof reported !== 'number' || reported === options.donateLevel) return;
  ctx.session.donateWarned = true;
  ctx.logger.warn(
    { requested: options.donateLevel, reported },
    'xmrig reports another donate level than requested (this build enforces a minimum)',
  );
}
