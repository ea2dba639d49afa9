import type { Logger } from '@rigkit/core';

/** One recorded logger call. */
export interface LogCall {
  level: 'debug' | 'info' | 'warn' | 'error';
  bindings: Record<string, unknown>;
  obj: object | string;
  msg: string | undefined;
}

/**
 * A logger that records every call (children included), for assertions such as "this
 * secret never reached a log line".
 */
export interface CapturingLogger extends Logger {
  readonly calls: LogCall[];
  /** Every call rendered as text, errors with message, stack and cause chain. */
  text(): string;
}

export function createCapturingLogger(): CapturingLogger {
  const calls: LogCall[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: LogCall['level']) =>
      (obj: object | string, msg?: string): void => {
        calls.push({ level, bindings, obj, msg });
      };
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    };
  };
  const root = make({});
  return Object.assign(root, {
    calls,
    text: () => calls.map((c) => renderForSearch(c)).join('\n'),
  });
}

/** Renders anything (errors included, with their cause chain) as searchable text. */
export function renderForSearch(value: unknown, depth = 0): string {
  if (depth > 5) return '';
  if (value instanceof Error) {
    const own = JSON.stringify(
      value,
      Object.getOwnPropertyNames(value).filter((k) => k !== 'cause'),
    );
    return `${value.name}: ${value.message}\n${value.stack ?? ''}\n${own}\ncause: ${renderForSearch(value.cause, depth + 1)}`;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([k, v]) => `${k}=${renderForSearch(v, depth + 1)}`)
      .join(' ');
  }
  return String(value);
}
