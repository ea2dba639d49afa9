/**
 * Reads a response body as UTF-8 text, refusing more than `maxBytes`: a runaway or hostile
 * answer must not grow the heap. Stops reading and releases the socket as soon as the limit
 * is passed, then throws what `tooLarge()` makes. Other errors while reading propagate as
 * thrown (callers map aborts).
 */
export async function readLimitedBody(
  response: Response,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
