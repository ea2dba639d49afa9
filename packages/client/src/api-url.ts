/** Every route of the Rigkit server lives under this prefix. */
export const API_PREFIX = '/api/v1';

/**
 * Builds the absolute URL of an API route. Path segments are encoded one by one so that a
 * miner id can never smuggle a `/`, `?` or `#` into the route.
 */
export function apiUrl(
  baseUrl: string | URL,
  segments: readonly string[],
  query: Readonly<Record<string, string | number | undefined>> = {},
): URL {
  const base = new URL(baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = segments.map((segment) => encodeURIComponent(segment)).join('/');
  const url = new URL(`${prefix}${API_PREFIX}/${path}`, base);
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}
