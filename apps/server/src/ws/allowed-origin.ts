import { isLoopbackHost } from '../security/loopback.js';

/**
 * Browsers send `Origin` on WebSocket upgrades; a page from any other site must not read the
 * rig's events with the user's token. Non-browser clients send no Origin and are allowed.
 */
export function isAllowedOrigin(origin: string | undefined, allowList: readonly string[]): boolean {
  if (origin === undefined || origin === '') return true;
  if (allowList.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}
