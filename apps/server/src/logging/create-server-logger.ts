import { type Logger, pino } from 'pino';

/** Paths pino replaces with `[redacted]` wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'token',
  '*.token',
  'pass',
  '*.pass',
  'password',
  '*.password',
  'options.pools[*].pass',
  '*.options.pools[*].pass',
  'accessToken',
  '*.accessToken',
];

/** Removes `token=…` from a URL before it is logged (browsers put the WS token there). */
export function redactUrl(url: string): string {
  return url.replace(/([?&]token=)[^&#]*/gi, '$1[redacted]');
}

/**
 * The server's pino logger: JSON lines to `destination` (stderr by default, so stdout stays
 * for data), secrets redacted by path and request URLs stripped of tokens.
 */
export function createServerLogger(
  level: string,
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        req(request: { method?: string; url?: string; ip?: string }) {
          return { method: request.method, url: redactUrl(request.url ?? ''), ip: request.ip };
        },
      },
    },
    destination,
  );
}
