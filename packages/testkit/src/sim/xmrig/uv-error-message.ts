/** libuv's `uv_strerror` texts, which xmrig prints in its network errors. */
const UV_MESSAGES: Readonly<Record<string, string>> = Object.freeze({
  EOF: 'end of file',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ECONNABORTED: 'software caused connection abort',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host is unreachable',
  ENETUNREACH: 'network is unreachable',
  EPIPE: 'broken pipe',
  EADDRINUSE: 'address already in use',
  EADDRNOTAVAIL: 'address not available',
  EACCES: 'permission denied',
  ECANCELED: 'operation canceled',
  ENOTFOUND: 'unknown node or service',
  EAI_NONAME: 'unknown node or service',
  EAI_AGAIN: 'temporary failure',
  ENOBUFS: 'no buffer space available',
});

/**
 * The message xmrig would print for a Node socket error: libuv's text for its code (Node and
 * libuv share the codes), or Node's own message in lower case for anything else.
 */
export function uvErrorMessage(error: NodeJS.ErrnoException | string): string {
  const code = typeof error === 'string' ? error : error.code;
  if (code !== undefined && Object.hasOwn(UV_MESSAGES, code)) return UV_MESSAGES[code] as string;
  return typeof error === 'string' ? error.toLowerCase() : error.message.toLowerCase();
}

/** True for name-resolution failures, which xmrig reports as `DNS error` (not `connect error`). */
export function isDnsError(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN' || error.code === 'EAI_NONAME';
}
