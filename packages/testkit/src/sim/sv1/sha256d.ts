import { hash } from 'node:crypto';

/**
 * Bitcoin's double SHA-256: `SHA-256(SHA-256(data))`, 32 bytes in the order the hash function
 * produces them (a block or transaction id is this, byte-reversed, when shown as hex).
 *
 * Uses node:crypto's one-shot `hash()`: it skips the Hash object of `createHash`, which makes
 * it the fastest SHA-256 Node offers for short inputs like an 80-byte header.
 */
export function sha256d(data: Uint8Array): Buffer {
  return hash('sha256', hash('sha256', data, 'buffer'), 'buffer');
}
