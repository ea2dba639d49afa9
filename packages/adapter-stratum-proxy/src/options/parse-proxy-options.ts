import { ConfigInvalidError } from '@rigkit/core';
import { type ProxyOptions, type ProxyOptionsInput, proxyOptionsSchema } from './proxy-options.js';

/**
 * Validates proxy options and fills in the defaults; throws `E_CONFIG_INVALID` listing every
 * problem by path (`limits.maxLineBytes`, `pools.0.url`). Pool passwords never appear in it.
 */
export function parseProxyOptions(input: ProxyOptionsInput | ProxyOptions): ProxyOptions {
  const parsed = proxyOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigInvalidError(
    'stratum proxy options',
    parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  );
}
