/**
 * The logging surface Rigkit needs. A pino logger satisfies it as is; so does anything with
 * these five methods, so adapters and hosts are not tied to one logging library.
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

function noop(): void {}

/** A logger that discards everything; the default when a host passes none. */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
