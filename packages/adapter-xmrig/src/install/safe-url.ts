/**
 * A URL as it may appear in messages and logs: no user info, query or fragment (signed
 * download links carry credentials there).
 */
export function safeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}
