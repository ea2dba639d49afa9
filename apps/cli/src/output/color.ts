type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether to colour a stream: never when `NO_COLOR` is set to anything non-empty
 * (https://no-color.org) or `TERM=dumb`; forced by a non-zero `FORCE_COLOR`; otherwise only on
 * a terminal.
 */
export function colorEnabled(isTTY: boolean, env: Env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') {
    return true;
  }
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export interface Colors {
  readonly enabled: boolean;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const sgr = (open: number, close: number) => (text: string) =>
  `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/** ANSI colour functions, or identity functions when `enabled` is false. */
export function createColors(enabled: boolean): Colors {
  if (!enabled) {
    return {
      enabled,
      red: plain,
      green: plain,
      yellow: plain,
      cyan: plain,
      dim: plain,
      bold: plain,
    };
  }
  return {
    enabled,
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
    dim: sgr(2, 22),
    bold: sgr(1, 22),
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point.
const ANSI = /\u001b\[[0-9;]*m/g;

/** `text` without ANSI colour codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Display width of `text`: code points without colour codes (good enough for our output). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}
