import { RigkitError } from '@rigkit/core';
import { MAX_API_LINE_BYTES } from './ttminer-api-client.js';

const WHAT = 'TT-Miner API miner_getstat1';
const AUTH_WORDS = /pass|psw|auth|forbidden|denied/i;

/**
 * The `result` array of a `miner_getstat1` answer, given as parsed JSON or as the answer line.
 * Accepts the JSON-RPC envelope (`{"id":0,"result":[…]}`) and, for convenience, a bare array.
 *
 * Throws only when the answer is unusable:
 * - text longer than {@link MAX_API_LINE_BYTES}, or not JSON → `E_API_RESPONSE`;
 * - a JSON-RPC `error` → `E_API_AUTH` when it is about the password, else `E_API_RESPONSE`;
 * - no `result` array → `E_API_RESPONSE`.
 *
 * Messages never quote the answer.
 */
export function getstat1Result(answer: unknown): unknown[] {
  let json = answer;
  if (typeof answer === 'string') {
    const bytes = Buffer.byteLength(answer);
    if (bytes > MAX_API_LINE_BYTES) {
      throw new RigkitError(
        'E_API_RESPONSE',
        `${WHAT}: the answer is longer than ${MAX_API_LINE_BYTES} bytes`,
        { details: { bytes, maxBytes: MAX_API_LINE_BYTES } },
      );
    }
    try {
      json = JSON.parse(answer);
    } catch {
      throw new RigkitError('E_API_RESPONSE', `${WHAT} answered something that is not JSON`, {
        details: { bytes },
      });
    }
  }
  if (Array.isArray(json)) return json;
  if (typeof json !== 'object' || json === null) {
    throw new RigkitError('E_API_RESPONSE', `${WHAT} answered JSON that is not a JSON-RPC object`);
  }
  const envelope = json as { error?: unknown; result?: unknown };
  const error = envelope.error;
  if (error !== undefined && error !== null && error !== false) {
    const text =
      typeof error === 'string'
        ? error
        : typeof (error as { message?: unknown }).message === 'string'
          ? ((error as { message: string }).message as string)
          : '';
    const rpcCode = (error as { code?: unknown }).code;
    const details = typeof rpcCode === 'number' ? { rpcCode } : {};
    if (AUTH_WORDS.test(text)) {
      throw new RigkitError('E_API_AUTH', `${WHAT}: the API refused the API password`, {
        details,
      });
    }
    throw new RigkitError('E_API_RESPONSE', `${WHAT} answered a JSON-RPC error`, { details });
  }
  if (!Array.isArray(envelope.result)) {
    throw new RigkitError('E_API_RESPONSE', `${WHAT} answered no result array`);
  }
  return envelope.result;
}
