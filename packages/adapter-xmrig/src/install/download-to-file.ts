import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { isRigkitError, RigkitError } from '@rigkit/core';
import { safeUrl } from './safe-url.js';

/** Options of {@link downloadToFile}. */
export interface DownloadToFileOptions {
  url: URL;
  /** Created exclusively (mode 0600); the caller removes it on failure. */
  file: string;
  maxBytes: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number | undefined) => void;
}

/** What {@link downloadToFile} wrote. */
export interface Downloaded {
  bytes: number;
  /** Lower-case hex SHA-256 of the bytes written. */
  sha256: string;
}

/**
 * Streams `url` into `file`, hashing on the way, and refuses more than `maxBytes`
 * (`E_INSTALL_DOWNLOAD`, as for a failed request or a non-2xx answer). An abort rethrows the
 * signal's reason.
 */
export async function downloadToFile(options: DownloadToFileOptions): Promise<Downloaded> {
  const { url, maxBytes, signal } = options;
  const where = safeUrl(url);
  const fail = (message: string, cause?: unknown, details: Record<string, unknown> = {}) =>
    new RigkitError('E_INSTALL_DOWNLOAD', `download of ${where} ${message}`, {
      cause,
      details: { url: where, ...details },
    });
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : {});
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw fail('failed', error);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw fail(`answered HTTP ${response.status}`, undefined, { status: response.status });
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const total = Number.isFinite(declared) ? declared : undefined;
  if (total !== undefined && total > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw fail(`is ${total} bytes, more than the limit of ${maxBytes}`, undefined, { maxBytes });
  }
  const hash = createHash('sha256');
  const handle = await open(options.file, 'wx', 0o600);
  let bytes = 0;
  try {
    const reader = response.body?.getReader();
    if (reader) {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          bytes += value.byteLength;
          if (bytes > maxBytes) {
            await reader.cancel().catch(() => {});
            throw fail(`exceeds the limit of ${maxBytes} bytes`, undefined, { maxBytes });
          }
          hash.update(value);
          await handle.write(value);
          options.onProgress?.(bytes, total);
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (isRigkitError(error)) throw error;
        throw fail('broke off', error);
      }
    }
  } finally {
    await handle.close();
  }
  if (total !== undefined && bytes !== total) {
    throw fail(`ended after ${bytes} of ${total} bytes`);
  }
  return { bytes, sha256: hash.digest('hex') };
}
