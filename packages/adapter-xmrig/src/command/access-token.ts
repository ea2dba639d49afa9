import { randomBytes } from 'node:crypto';

/**
 * A fresh random token for xmrig's HTTP API: 24 random bytes, base64url (32 characters, no
 * padding), so it needs no quoting on a command line or in JSON.
 */
export function createAccessToken(): string {
  return randomBytes(24).toString('base64url');
}
